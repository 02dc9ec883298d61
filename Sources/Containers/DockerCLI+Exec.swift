import ChildProcesses
import Subprocess
import Synchronization

extension DockerCLI {
    /// Runs `docker exec <container> <command...>`, streaming its stdout and stderr lines as they come.
    ///
    /// No TTY is allocated, so stdout and stderr arrive through one pipe in the order the CLI
    /// writes them. On timeout the docker CLI is killed and a timeout error is thrown; Docker
    /// does NOT kill the process inside the container when its exec client goes away, so the
    /// caller must stop the container to end it.
    public func exec(
        _ nameOrID: String,
        command: [String],
        timeoutSeconds: Int?,
        onOutputLine: @escaping @Sendable (String) -> Void
    ) async throws -> Int32 {
        let arguments = ["exec", nameOrID] + command
        let argv = fullCommand(arguments)
        let action = "running `\(command.map(ShellQuoting.quote).joined(separator: " "))` in container \(nameOrID)"
        logger.debug("running \(argv.map(ShellQuoting.quote).joined(separator: " "))")
        let timedOut = Flag()
        // Whatever the exec prints before failing also tells why (e.g. "No such container").
        let tail = LineTail(capacity: 20)
        let result: ExecutionResult<Void, SequenceOutput, CombinedErrorOutput>
        do {
            result = try await Subprocess.run(
                executableReference, arguments: Arguments(Array(argv.dropFirst())),
                environment: .inherit, platformOptions: .ownProcessGroup,
                input: .none, output: .sequence, error: .combinedWithOutput
            ) { execution in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    if let timeoutSeconds {
                        group.addTask {
                            try await Task.sleep(for: .seconds(max(0, timeoutSeconds)))
                            timedOut.set()
                            try? execution.send(signal: .kill)
                        }
                    }
                    // Lines of any length: a huge one is logged truncated, never an error (see OutputLineSplitter).
                    var splitter = OutputLineSplitter()
                    let emit = { (line: String) in
                        tail.append(line)
                        onOutputLine(line)
                    }
                    for try await buffer in execution.standardOutput {
                        buffer.withUnsafeBytes { splitter.feed($0, emit) }
                    }
                    splitter.finish(emit)
                    group.cancelAll()
                }
            }
        } catch let error as SubprocessError {
            throw launchFailure(error, command: argv, action: action)
        }
        // Cancelled (a signal stopping the run): the client was killed, its exit status means nothing.
        try Task.checkCancellation()
        if timedOut.isSet {
            throw ContainerEngineError.timeout(
                command: argv, seconds: Double(timeoutSeconds ?? 0), insideContainer: true)
        }
        let code = result.terminationStatus.exitCode
        // The CLI's own failures (container missing or stopped, engine unreachable) come back as
        // exit codes 125-127 with an error line; classify those instead of returning them.
        if code == 125 || code == 126 || code == 127 || code == 1 {
            // Only the CLI's own error lines count: the command itself may print anything.
            let cliPrefixes = [
                "error response from daemon", "error:", "error during connect", "cannot connect to the docker daemon",
                "cannot connect to podman", "unable to connect to podman",
            ]
            let text = tail.lines.filter { line in
                let lowered = line.lowercased()
                return cliPrefixes.contains { lowered.hasPrefix($0) }
            }.joined(separator: "\n")
            let classified = classify(
                CommandResult(exitCode: code, stdout: "", stderr: text), arguments,
                action: action, subject: ("container", nameOrID))
            if classified.kind != .failed || (code == 1 && text.lowercased().contains("is not running")) {
                throw classified
            }
        }
        return code
    }
}

/// A flag one task sets and another reads.
final class Flag: Sendable {
    private let state = Mutex(false)

    /// Sets the flag.
    func set() { state.withLock { $0 = true } }

    /// Whether it was set.
    var isSet: Bool { state.withLock { $0 } }
}

/// The last few lines of a stream, kept for error messages.
final class LineTail: Sendable {
    private let state: Mutex<[String]>
    private let capacity: Int

    /// Keeps at most `capacity` lines.
    init(capacity: Int) {
        self.capacity = capacity
        self.state = Mutex([])
    }

    /// Adds a line, dropping the oldest when full.
    func append(_ line: String) {
        state.withLock { lines in
            lines.append(line)
            if lines.count > capacity { lines.removeFirst(lines.count - capacity) }
        }
    }

    /// The lines kept, oldest first.
    var lines: [String] { state.withLock { $0 } }
}
