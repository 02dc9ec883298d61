import Foundation
import SandboxSupport

/// Runs the built `oms-upgrade` executable, as an operator would.
enum CLI {
    /// The result of one invocation.
    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The exit status and both outputs; a long stderr keeps its end, where the error is (a
        /// test failure's message is cut after some thousands of characters).
        var description: String {
            let limit = 6000
            let tail =
                stderr.count > limit
                ? "[... \(stderr.count - limit) characters cut ...]\n" + stderr.suffix(limit) : stderr
            return "exit \(status)\n--- stdout\n\(stdout.prefix(limit))\n--- stderr\n\(tail)"
        }
    }

    /// The executable: `OMS_UPGRADE_BIN`, else beside the test bundle in the build folder.
    static var executable: URL {
        get throws {
            if let path = ProcessInfo.processInfo.environment["OMS_UPGRADE_BIN"] { return URL(filePath: path) }
            var directory = URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = directory.appending(path: "oms-upgrade")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
            throw SandboxError(
                "The oms-upgrade executable was not found beside the tests: build it first with `swift build --build-tests` (scripts/test.sh does), or set OMS_UPGRADE_BIN."
            )
        }
    }

    /// Runs `oms-upgrade <arguments>` to its end and returns what it printed.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try start(arguments, environment: environment).wait()
    }

    /// Starts `oms-upgrade <arguments>` in the background.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        try Running(
            executable: try executable, arguments: arguments + ["--progress", "plain"], environment: environment)
    }

    /// A running invocation; its output goes to private temp files, so it cannot dead-lock.
    final class Running: @unchecked Sendable {
        private let process = Process()
        private let directory: URL

        init(executable: URL, arguments: [String], environment: [String: String]) throws {
            directory = try Sandbox.makePrivateTempDirectory()
            let out = directory.appending(path: "stdout")
            let err = directory.appending(path: "stderr")
            try Sandbox.writePrivateFile(out, contents: "")
            try Sandbox.writePrivateFile(err, contents: "")
            process.executableURL = executable
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            try process.run()
        }

        /// Sends SIGTERM.
        func terminate() { process.terminate() }

        /// The process id, to send other signals.
        var processIdentifier: Int32 { process.processIdentifier }

        /// Waits for the end; a process killed by a signal reports 128 + signal.
        func wait() -> Result {
            process.waitUntilExit()
            var status = process.terminationStatus
            if process.terminationReason == .uncaughtSignal { status += 128 }
            let result = Result(
                status: status,
                stdout: (try? String(contentsOf: directory.appending(path: "stdout"), encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOf: directory.appending(path: "stderr"), encoding: .utf8)) ?? "")
            try? FileManager.default.removeItem(at: directory)
            return result
        }
    }
}

/// Waits until `condition` holds, polling every 100 ms; false after `timeout` seconds.
func eventually(timeout: TimeInterval = 60, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return try condition()
}
