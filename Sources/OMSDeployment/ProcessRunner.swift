import Foundation
import Subprocess

/// Runs a short helper command (curl) through swift-subprocess, as the docker CLI is run.
///
/// Nothing blocks the cooperative pool, and cancelling the calling task ends the child.
enum ProcessRunner {
    /// What the command gave back.
    struct Result: Sendable {
        var exitCode: Int32
        var stdout: Data
        var stderr: Data
    }

    /// The most output kept from each stream (a health answer is a few hundred bytes).
    static let outputLimit = 16 * 1024 * 1024

    /// Runs `executable` (looked up on PATH unless it is a path) and waits for it.
    static func run(executable: String, arguments: [String]) async throws -> Result {
        let reference: Executable = executable.contains("/") ? .path(.init(executable)) : .name(executable)
        do {
            let result = try await Subprocess.run(
                reference, arguments: Arguments(arguments),
                output: .string(limit: outputLimit), error: .string(limit: outputLimit))
            let exitCode: Int32 = switch result.terminationStatus {
            case .exited(let code): Int32(code)
            case .signaled(let signal): 128 + Int32(signal)
            }
            return Result(exitCode: exitCode, stdout: Data(result.standardOutput.utf8),
                          stderr: Data(result.standardError.utf8))
        } catch let error as SubprocessError {
            throw ProbeFailure(reason: "\(executable) could not be started: \(error)")
        }
    }
}
