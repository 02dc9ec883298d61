import Foundation
import SandboxSupport

/// Runs the built `oms-upgrade` executable, as an operator would.
enum CLI {
    /// The result of one invocation.
    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String

        var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
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
            throw SandboxError("The oms-upgrade executable was not found beside the tests: build it first with `swift build --build-tests` (scripts/test.sh does), or set OMS_UPGRADE_BIN.")
        }
    }

    /// Runs `oms-upgrade <arguments>` with progress off and returns what it printed.
    static func run(_ arguments: [String], progress: String = "plain") throws -> Result {
        let result = try Sandbox.run(try executable.path, arguments + ["--progress", progress])
        return Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}
