import Foundation
import SandboxSupport

/// Runs a command on a real pseudo-terminal through util-linux's `script` and returns every byte it wrote.
enum PseudoTerminal {
    struct Result {
        var status: Int32
        /// What the terminal received, escape codes and carriage returns included.
        var output: String
    }

    /// Runs `oms-upgrade <arguments>` on a `columns`-wide terminal (stdout and stderr both on it).
    static func run(_ arguments: [String], columns: Int = 120) throws -> Result {
        let directory = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let typescript = directory.appending(path: "typescript")
        let command = ([try CLI.executable.path] + arguments).map(shellQuote).joined(separator: " ")
        let result = try Sandbox.run(
            "script",
            [
                "--quiet", "--flush", "--return", "--command", "stty cols \(columns) rows 30; exec \(command)",
                typescript.path,
            ])
        let output = (try? String(contentsOf: typescript, encoding: .utf8)) ?? ""
        return Result(status: result.status, output: output)
    }

    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
