import Foundation
import MetaDump

/// Runs the stock tools (mariadb-dump, mariadb, mydumper, myloader) with credentials in a defaults file only.
enum ExternalTool {
    /// Runs `tool` with the defaults file as first argument; stdin/stdout optionally from/to files. Throws on failure.
    static func run(
        _ tool: String, defaults: DefaultsFile, asDefaultsFile: Bool = false, _ arguments: [String],
        stdinFile: String? = nil, stdoutFile: String? = nil, timeout: TimeInterval = 600
    ) throws {
        guard let path = ClientTool.which(tool) else { throw BenchError("\(tool) is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        let first = asDefaultsFile ? "--defaults-file=" + defaults.path : defaults.argument
        process.arguments = [first] + arguments
        if let stdinFile { process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdinFile)) }
        if let stdoutFile {
            _ = FileManager.default.createFile(
                atPath: stdoutFile, contents: nil, attributes: [.posixPermissions: 0o600])
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutFile))
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        // mydumper 0.10 was seen to hang now and then: give every tool a deadline.
        let deadline = Date().addingTimeInterval(timeout)
        let watchdog = Thread {
            while process.isRunning {
                if Date() > deadline {
                    process.terminate()
                    Thread.sleep(forTimeInterval: 2)
                    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                    return
                }
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        watchdog.start()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if Date() > deadline { throw BenchError("\(tool) timed out after \(Int(timeout)) s") }
        guard process.terminationStatus == 0 else {
            throw BenchError(
                "\(tool) failed (\(process.terminationStatus)): \(String(decoding: stderr, as: UTF8.self))")
        }
    }
}
