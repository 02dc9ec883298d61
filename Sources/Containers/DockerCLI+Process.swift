import ChildProcesses
import Logging
import Subprocess

extension DockerCLI {
    /// Runs the CLI with `arguments` and collects its output; kills it after `timeout`
    /// (default: ``commandTimeout``) and throws a timeout error.
    ///
    /// - Parameter environment: variables added to the CLI's inherited environment (secret
    ///   `-e NAME` values); never logged.
    /// - Parameter combineOutput: read stderr into the same stream as stdout (for `logs`), in
    ///   which case `stderr` of the result repeats the combined text.
    func invoke(
        _ arguments: [String],
        action: String,
        timeout: Duration? = nil,
        environment: [String: String] = [:],
        combineOutput: Bool = false
    ) async throws -> CommandResult {
        let command = fullCommand(arguments)
        let limit = timeout ?? commandTimeout
        logger.debug("running \(command.map(ShellQuoting.quote).joined(separator: " "))")
        return try await withThrowingTaskGroup(of: CommandResult?.self) { group in
            group.addTask {
                try await self.runToCompletion(
                    command, action: action, environment: environment, combineOutput: combineOutput)
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else {
                throw ContainerEngineError.failed(
                    action, command: command, exitCode: nil, stderr: "the command produced no result")
            }
            guard let result = first else {
                // Cancelling the group makes Subprocess tear the CLI process down (it ends in SIGKILL).
                throw ContainerEngineError.timeout(command: command, seconds: limit.seconds, insideContainer: false)
            }
            return result
        }
    }

    /// Runs the CLI once and waits for it; translates launch failures into ``ContainerEngineError``.
    private func runToCompletion(
        _ command: [String], action: String, environment: [String: String], combineOutput: Bool
    ) async throws -> CommandResult {
        let limit = 64 * 1024 * 1024
        do {
            if combineOutput {
                let result = try await Subprocess.run(
                    executableReference, arguments: Arguments(Array(command.dropFirst())),
                    environment: subprocessEnvironment(environment), platformOptions: .ownProcessGroup,
                    output: .string(limit: limit), error: .combinedWithOutput
                )
                let text = result.standardOutput
                return CommandResult(exitCode: result.terminationStatus.exitCode, stdout: text, stderr: text)
            }
            let result = try await Subprocess.run(
                executableReference, arguments: Arguments(Array(command.dropFirst())),
                environment: subprocessEnvironment(environment), platformOptions: .ownProcessGroup,
                output: .string(limit: limit), error: .string(limit: limit)
            )
            return CommandResult(
                exitCode: result.terminationStatus.exitCode,
                stdout: result.standardOutput,
                stderr: result.standardError
            )
        } catch let error as SubprocessError {
            throw launchFailure(error, command: command, action: action)
        }
    }

    /// The executable as Subprocess wants it: looked up on PATH unless it is a path.
    var executableReference: Executable {
        executable.contains("/") ? .path(.init(executable)) : .name(executable)
    }

    /// The inherited environment plus `extra`.
    func subprocessEnvironment(_ extra: [String: String]) -> Environment {
        guard !extra.isEmpty else { return .inherit }
        var updates: [Environment.Key: String?] = [:]
        for (name, value) in extra {
            if let key = Environment.Key(rawValue: name) { updates[key] = value }
        }
        return .inherit.updating(updates)
    }

    /// A launch failure as an actionable error (the CLI missing is the common case).
    func launchFailure(_ error: SubprocessError, command: [String], action: String) -> ContainerEngineError {
        if error.code == .executableNotFound {
            return ContainerEngineError(
                kind: .failed, command: command, exitCode: nil, stderr: "\(error)",
                description:
                    "The container CLI `\(executable)` was not found: install the docker CLI (or podman-docker), or pass its path."
            )
        }
        return .failed(action, command: command, exitCode: nil, stderr: "\(error)")
    }
}

extension TerminationStatus {
    /// The exit code, or 128 + the signal number when a signal ended the process (as shells report it).
    var exitCode: Int32 {
        switch self {
        case .exited(let code): return Int32(code)
        case .signaled(let signal): return 128 + Int32(signal)
        }
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
