import Foundation

/// Wall-clock timing and the results table.
@MainActor
struct Measurements {
    struct Entry {
        var group: String
        var name: String
        var seconds: Double
        var note: String
    }

    private(set) var entries: [Entry] = []

    /// Times `body`, records it under `group`/`name`, and prints a line at once.
    mutating func time<T>(_ group: String, _ name: String, note: String = "", _ body: () async throws -> T)
        async rethrows -> T
    {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try await body()
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        entries.append(Entry(group: group, name: name, seconds: seconds, note: note))
        FileHandle.standardError.write(Data(String(format: "  %-12@ %-44@ %9.3fs\n", group, name, seconds).utf8))
        return value
    }

    /// Like ``time(_:_:note:_:)`` for a third-party tool: a failure is logged and noted in the table instead of ending the run.
    mutating func timeTool(_ group: String, _ name: String, _ body: () async throws -> Void) async {
        do {
            try await time(group, name, body)
        } catch {
            FileHandle.standardError.write(Data("  \(group) \(name) FAILED: \(error)\n".utf8))
            entries.append(Entry(group: group, name: name, seconds: .nan, note: "failed: \(error)"))
        }
    }

    func seconds(_ group: String, _ name: String) -> Double? {
        entries.first { $0.group == group && $0.name == name }?.seconds
    }

    /// Prints every group with each entry's time and its ratio to the group's baseline (first entry).
    func report(title: String, baselines: [String: String]) -> String {
        var lines = [title, ""]
        var groups: [String] = []
        for entry in entries where !groups.contains(entry.group) { groups.append(entry.group) }
        for group in groups {
            let inGroup = entries.filter { $0.group == group }
            let baselineName = baselines[group] ?? inGroup[0].name
            let baseline = inGroup.first { $0.name == baselineName }?.seconds ?? inGroup[0].seconds
            lines.append("\(group) (ratio = \(baselineName) / this; above 1 means faster than it)")
            for entry in inGroup {
                let ratio = baseline / max(entry.seconds, 1e-6)
                lines.append(String(format: "  %-46@ %10.3fs %9.1fx  %@", entry.name, entry.seconds, ratio, entry.note))
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
