import Foundation
import SandboxSupport

/// A server process on 127.0.0.1 for the health probe tests (busybox httpd, openssl s_server),
/// serving `directory`; stopped by ``stop()``.
final class LocalServer: @unchecked Sendable {
    let process: Process
    let port: Int

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// `busybox httpd` serving `directory` over HTTP.
    static func http(serving directory: String) throws -> LocalServer {
        let port = Sandbox.freePort()
        return try start(
            "/bin/busybox", ["httpd", "-f", "-p", "127.0.0.1:\(port)", "-h", directory], in: directory, port: port)
    }

    /// `openssl s_server -WWW` serving files relative to `directory` over HTTPS with the given pair.
    static func https(serving directory: String, certificate: String, key: String) throws -> LocalServer {
        let port = Sandbox.freePort()
        let openssl =
            ["/usr/bin/openssl", "/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "/usr/bin/openssl"
        return try start(
            openssl, ["s_server", "-quiet", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key, "-WWW"],
            in: directory, port: port)
    }

    private static func start(_ executable: String, _ arguments: [String], in directory: String, port: Int) throws
        -> LocalServer
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = LocalServer(process: process, port: port)
        // Wait until it accepts connections.
        for _ in 0..<50 {
            if Sandbox.canConnect(host: "127.0.0.1", port: port) { return server }
            Thread.sleep(forTimeInterval: 0.1)
        }
        server.stop()
        throw SandboxError("\(executable) did not start listening on 127.0.0.1:\(port)")
    }

    /// Stops the server (the test's own process, by its id). SIGKILL, because a child started
    /// by Foundation's Process on Linux may inherit a mask that blocks SIGTERM.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
