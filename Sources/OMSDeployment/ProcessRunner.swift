import Foundation

/// Runs a short helper command (curl) with Foundation's Process, off the cooperative pool.
enum ProcessRunner {
    /// What the command gave back.
    struct Result: Sendable {
        var exitCode: Int32
        var stdout: Data
        var stderr: Data
    }

    /// Runs `executable` (looked up on PATH unless it is a path) and waits for it.
    static func run(executable: String, arguments: [String]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                if executable.contains("/") {
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = arguments
                } else {
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                    process.arguments = [executable] + arguments
                }
                let stdout = Pipe()
                let stderr = Pipe()
                process.standardOutput = stdout
                process.standardError = stderr
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: ProbeFailure(reason: "\(executable) could not be started: \(error.localizedDescription)"))
                    return
                }
                // Read both pipes before waiting, so a full pipe cannot block the child.
                let group = DispatchGroup()
                nonisolated(unsafe) var errorData = Data()
                group.enter()
                DispatchQueue.global().async {
                    errorData = stderr.fileHandleForReading.readDataToEndOfFile()
                    group.leave()
                }
                let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: Result(exitCode: process.terminationStatus, stdout: outputData, stderr: errorData))
            }
        }
    }
}
