import Foundation

extension DockerCLI {
    /// `docker logs --timestamps --since S --until U`: the lines written in that window, each after its time.
    public func timestampedLogs(_ nameOrID: String, since: String, until: String) async throws -> [String] {
        try await timestampedLines(nameOrID, window: ["--since", since, "--until", until])
    }

    /// `docker logs --timestamps --tail N`: the last `tail` lines, each after its time.
    public func timestampedTail(_ nameOrID: String, tail: Int) async throws -> [String] {
        try await timestampedLines(nameOrID, window: ["--tail", String(max(0, tail))])
    }

    private func timestampedLines(_ nameOrID: String, window: [String]) async throws -> [String] {
        let arguments = ["logs", "--timestamps"] + window + [nameOrID]
        let action = "reading the timestamped log of \(nameOrID)"
        let result = try await invoke(arguments, action: action, combineOutput: true)
        try check(result, arguments, action: action, subject: ("container", nameOrID))
        var lines = result.stdout
            .split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { line in line.hasSuffix("\r") ? String(line.dropLast()) : String(line) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
