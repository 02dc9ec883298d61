import ChildProcesses
import Foundation
import Subprocess
import SystemPackage

/// A MySQL client program found on `PATH`: `mariadb-dump`/`mysqldump` or `mariadb`/`mysql`.
public struct ClientTool: Sendable {
    /// Absolute path of the program.
    public var path: String
    /// The first line of `--version`, e.g. `mariadb-dump from 11.4.2-MariaDB …`.
    public var versionLine: String
    /// Whether it is MariaDB's build (the options differ slightly from Oracle's).
    public var isMariaDB: Bool

    /// The dump program: `mariadb-dump`, else `mysqldump`.
    public static func dumper() async throws -> ClientTool {
        try await find(["mariadb-dump", "mysqldump"], purpose: "dump a database")
    }

    /// The command-line client: `mariadb`, else `mysql`.
    public static func client() async throws -> ClientTool {
        try await find(["mariadb", "mysql"], purpose: "run SQL files")
    }

    /// The first of `names` found on `PATH`, with its version.
    public static func find(_ names: [String], purpose: String) async throws -> ClientTool {
        for name in names {
            guard let path = which(name) else { continue }
            let result = try? await Subprocess.run(
                .path(FilePath(path)), arguments: ["--version"],
                output: .string(limit: 64 * 1024), error: .discarded)
            let line = result?.standardOutput.split(separator: "\n").first.map(String.init) ?? name
            return ClientTool(
                path: path, versionLine: line.trimmingSpaces(), isMariaDB: line.lowercased().contains("mariadb"))
        }
        throw MetaDumpError(
            .toolNotFound, action: "Looking for a program to \(purpose)",
            reason: "none of \(names.joined(separator: ", ")) is on PATH",
            remedy: "Install the MariaDB or MySQL client (Debian: apt-get install mariadb-client).")
    }

    /// The absolute path of `name` on `PATH`, if it is there and executable.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs the program, reading its standard error as a stream into a bounded ``StandardErrorTail``.
    ///
    /// Collecting it as one string with a limit would make a long message (one line of
    /// hundreds of kilobytes) fail the run by itself.
    private static func collectingErrors<Input: InputProtocol, Output: OutputProtocol>(
        _ executable: Executable, _ arguments: Arguments, input: Input, output: Output
    ) async throws -> (TerminationStatus, String) {
        let result = try await Subprocess.run(
            executable, arguments: arguments, platformOptions: .ownProcessGroup,
            input: input, output: output, error: .sequence
        ) { execution in
            var errors = StandardErrorTail()
            for try await buffer in execution.standardError {
                buffer.withUnsafeBytes { errors.append($0) }
            }
            return errors.text
        }
        return (result.terminationStatus, result.closureResult)
    }

    /// Runs the program with `arguments`, standard input and output on the given descriptors; throws on failure.
    ///
    /// Standard error is collected and quoted in the error.
    func run(
        _ arguments: [String], input: FileDescriptor?, output: FileDescriptor?, action: String,
        database: String?, file: String?
    ) async throws {
        let name = (path as NSString).lastPathComponent
        let executable = Executable.path(FilePath(path))
        let args = Arguments(arguments)
        let status: TerminationStatus
        let stderr: String
        do {
            switch (input, output) {
            case (let input?, let output?):
                (status, stderr) = try await Self.collectingErrors(
                    executable, args, input: .fileDescriptor(input, closeAfterSpawningProcess: false),
                    output: .fileDescriptor(output, closeAfterSpawningProcess: false))
            case (let input?, nil):
                (status, stderr) = try await Self.collectingErrors(
                    executable, args, input: .fileDescriptor(input, closeAfterSpawningProcess: false),
                    output: .discarded)
            case (nil, let output?):
                (status, stderr) = try await Self.collectingErrors(
                    executable, args, input: .none, output: .fileDescriptor(output, closeAfterSpawningProcess: false))
            case (nil, nil):
                (status, stderr) = try await Self.collectingErrors(executable, args, input: .none, output: .discarded)
            }
        } catch {
            throw MetaDumpError(
                .toolFailed, action: action, reason: "\(name) could not be started: \(error)",
                database: database, file: file, underlying: error)
        }
        guard status.isSuccess else {
            let failure = ClientToolFailure(
                tool: name, status: "\(status)",
                standardError: stderr.trimmingSpaces().split(separator: "\n").joined(separator: " | "))
            throw MetaDumpError(
                .toolFailed, action: action, reason: "\(failure)", database: database, file: file,
                underlying: failure)
        }
    }
}
