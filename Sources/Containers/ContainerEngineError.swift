/// A failure of a container-engine command, printed as one actionable sentence.
///
/// `command` is the argv that ran (executable first); it never holds a secret, because
/// secret-looking environment values are passed to the CLI through its environment, not argv.
public struct ContainerEngineError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, for callers that react differently to each case.
    public enum Kind: String, Sendable, Codable, Equatable {
        /// The container or image does not exist.
        case notFound
        /// The engine (dockerd, the podman socket) could not be reached.
        case daemonUnreachable
        /// The command did not finish in time; its client process was killed.
        case timeout
        /// Any other failure; `stderr` tells more.
        case failed
    }

    /// What went wrong.
    public var kind: Kind
    /// The argv that ran, executable first.
    public var command: [String]
    /// The client's exit code, when it exited.
    public var exitCode: Int32?
    /// The client's standard error, trimmed.
    public var stderr: String
    /// One sentence that says what failed and what to do.
    public var description: String

    /// Creates an error; prefer the factory methods, which word the description.
    public init(kind: Kind, command: [String], exitCode: Int32?, stderr: String, description: String) {
        self.kind = kind
        self.command = command
        self.exitCode = exitCode
        self.stderr = stderr.trimmingWhitespace()
        self.description = description
    }

    /// The command as one line, for messages.
    public var commandLine: String { command.map(ShellQuoting.quote).joined(separator: " ") }
}

extension ContainerEngineError {
    /// The engine could not be reached at `endpoint`.
    static func daemonUnreachable(command: [String], exitCode: Int32?, stderr: String, endpoint: String) -> Self {
        let detail = stderr.firstLine
        return Self(
            kind: .daemonUnreachable, command: command, exitCode: exitCode, stderr: stderr,
            description:
                "Cannot reach the Docker engine at \(endpoint): \(detail.isEmpty ? "no answer" : detail) Start dockerd (scripts/sandbox-up.sh) or set DOCKER_HOST/--context."
        )
    }

    /// No container (or image) named `subject` exists.
    static func notFound(
        _ what: String, _ subject: String, command: [String], exitCode: Int32?, stderr: String, endpoint: String
    ) -> Self {
        let hint =
            what == "image"
            ? "load it with `docker load -i <image archive>` and check the reference with `docker images`."
            : "check the name with `docker ps -a`."
        return Self(
            kind: .notFound, command: command, exitCode: exitCode, stderr: stderr,
            description: "No \(what) named \(subject) exists on the Docker engine at \(endpoint): \(hint)"
        )
    }

    /// The command did not finish within `seconds`.
    static func timeout(command: [String], seconds: Double, insideContainer: Bool) -> Self {
        let rendered = command.map(ShellQuoting.quote).joined(separator: " ")
        let note =
            insideContainer
            ? " The process inside the container may still be running: stop the container to end it, then retry."
            : " Check that the Docker engine is responsive (`docker info`) and retry."
        return Self(
            kind: .timeout, command: command, exitCode: nil, stderr: "",
            description:
                "`\(rendered)` did not finish within \(formatSeconds(seconds)) and its client was killed.\(note)"
        )
    }

    /// Any other failure of `action` (a short phrase such as "stopping container oms_322").
    static func failed(_ action: String, command: [String], exitCode: Int32?, stderr: String) -> Self {
        let rendered = command.map(ShellQuoting.quote).joined(separator: " ")
        let detail = stderr.trimmingWhitespace().firstLine
        let code = exitCode.map { ", exit \($0)" } ?? ""
        return Self(
            kind: .failed, command: command, exitCode: exitCode, stderr: stderr,
            description:
                "\(action.prefix(1).uppercased() + action.dropFirst()) failed (`\(rendered)`\(code)): \(detail.isEmpty ? "no error output" : detail); fix the cause and retry."
        )
    }

    private static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines.
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// The first non-empty line, trimmed.
    var firstLine: String {
        split(whereSeparator: \.isNewline).lazy
            .map { String($0).trimmingWhitespace() }
            .first { !$0.isEmpty } ?? ""
    }
}
