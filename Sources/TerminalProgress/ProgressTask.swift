import Foundation
import Synchronization

/// One measured piece of work (a table dumped, rows deleted) whose progress a reporter draws.
public final class ProgressTask: Sendable {
    private let reporter: ProgressReporter
    private let title: String
    private let total: Int64?
    private let unit: ProgressUnit
    private let started = Date()
    private let state = Mutex<(completed: Int64, lastDraw: Date?, finished: Bool)>((0, nil, false))

    init(reporter: ProgressReporter, title: String, total: Int64?, unit: ProgressUnit) {
        self.reporter = reporter
        self.title = title
        self.total = total
        self.unit = unit
    }

    /// Adds `amount` to the completed count and redraws when due.
    public func advance(by amount: Int64) {
        let snapshot: Snapshot? = state.withLock { state in
            state.completed += amount
            return dueSnapshot(&state)
        }
        if let snapshot { reporter.draw(snapshot, final: false) }
    }

    /// Sets the completed count and redraws when due.
    public func update(completed: Int64) {
        let snapshot: Snapshot? = state.withLock { state in
            state.completed = completed
            return dueSnapshot(&state)
        }
        if let snapshot { reporter.draw(snapshot, final: false) }
    }

    /// The amount completed so far.
    public var completed: Int64 { state.withLock { $0.completed } }

    /// Draws the final line once, with the elapsed time and an optional note.
    public func finish(_ note: String? = nil) {
        let snapshot: Snapshot? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            return Snapshot(title: title, completed: state.completed, total: total, unit: unit,
                            elapsed: Date().timeIntervalSince(started), note: note)
        }
        if let snapshot { reporter.draw(snapshot, final: true) }
    }

    private func dueSnapshot(_ state: inout (completed: Int64, lastDraw: Date?, finished: Bool)) -> Snapshot? {
        let now = Date()
        let interval = reporter.drawsLive ? 0.1 : reporter.minimumPlainInterval
        // Plain mode stays quiet for short tasks: the first line comes only after a full interval.
        if now.timeIntervalSince(state.lastDraw ?? started) < interval { return nil }
        state.lastDraw = now
        return Snapshot(title: title, completed: state.completed, total: total, unit: unit,
                        elapsed: now.timeIntervalSince(started), note: nil)
    }

    /// A frozen view of a task's progress, formatted as one line.
    struct Snapshot: Sendable {
        let title: String
        let completed: Int64
        let total: Int64?
        let unit: ProgressUnit
        let elapsed: TimeInterval
        let note: String?

        func formatted(final: Bool) -> String {
            var parts = [title + ":"]
            let done = unit.format(Double(completed))
            if let total, total > 0 {
                let percent = min(100, Double(completed) * 100 / Double(total))
                parts.append("\(done) of \(unit.format(Double(total)))")
                parts.append(String(format: "%.0f%%", percent))
            } else {
                parts.append(done)
            }
            if elapsed > 0.05 {
                parts.append(unit.format(Double(completed) / elapsed) + "/s")
            }
            if final {
                parts.append(String(format: "done in %.2fs", elapsed))
            } else if let total, completed > 0, total > completed {
                let remaining = elapsed * Double(total - completed) / Double(completed)
                parts.append(String(format: "ETA %.0fs", remaining))
            }
            if let note { parts.append(note) }
            return parts.joined(separator: " ")
        }
    }
}
