import Foundation
import SandboxSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A throw-away MariaDB server with TLS on a free local port, for the TLS tests.
///
/// It runs `mariadbd` (the sandbox's server binary) on an empty data directory with
/// `--skip-grant-tables`, so any user name and password are accepted, and with a
/// server certificate for IP 127.0.0.1 signed by a CA made for the test. A second,
/// unrelated CA lets tests check that verification really rejects a stranger.
final class PrivateTLSServer {
    let port: Int
    let directory: URL
    var caFile: String { directory.appendingPathComponent("ca.pem").path }
    var otherCAFile: String { directory.appendingPathComponent("other-ca.pem").path }
    private let process: Process

    init() throws {
        directory = try Sandbox.makePrivateTempDirectory()
        let dir = directory.path
        func openssl(_ args: [String]) throws { try Sandbox.runChecked("openssl", args) }
        try openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/ca.key", "-out", "\(dir)/ca.pem",
            "-days", "2", "-subj", "/CN=metadb-test-ca",
        ])
        try openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/other-ca.key",
            "-out", "\(dir)/other-ca.pem", "-days", "2", "-subj", "/CN=metadb-other-ca",
        ])
        try openssl([
            "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/server.key", "-out", "\(dir)/server.csr",
            "-subj", "/CN=metadb-test-server",
        ])
        try Sandbox.writePrivateFile(
            directory.appendingPathComponent("ext.cnf"), contents: "subjectAltName=IP:127.0.0.1\n")
        try openssl([
            "x509", "-req", "-in", "\(dir)/server.csr", "-CA", "\(dir)/ca.pem", "-CAkey", "\(dir)/ca.key",
            "-CAcreateserial", "-out", "\(dir)/server.pem", "-days", "2", "-extfile", "\(dir)/ext.cnf",
        ])
        try FileManager.default.createDirectory(atPath: "\(dir)/data", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(dir)/tmp", withIntermediateDirectories: true)

        port = Sandbox.freePort()
        let mariadbd =
            ["/usr/sbin/mariadbd", "/usr/bin/mariadbd", "/usr/sbin/mysqld"]
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "mariadbd"
        process = Process()
        process.executableURL = URL(fileURLWithPath: mariadbd)
        process.arguments = [
            "--no-defaults", "--datadir=\(dir)/data", "--socket=\(dir)/mysqld.sock", "--port=\(port)",
            "--bind-address=127.0.0.1", "--user=root", "--skip-grant-tables", "--skip-log-bin",
            "--innodb-buffer-pool-size=16M", "--pid-file=\(dir)/mysqld.pid", "--log-error=\(dir)/error.log",
            // A private tmpdir: a starting mariadbd deletes every #sql* file in its tmpdir, the
            // shared server's temporary tables among them when that is /tmp.
            "--tmpdir=\(dir)/tmp",
            "--ssl-ca=\(dir)/ca.pem", "--ssl-cert=\(dir)/server.pem", "--ssl-key=\(dir)/server.key",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while !Sandbox.canConnect(host: "127.0.0.1", port: port) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                let log = (try? String(contentsOfFile: "\(dir)/error.log", encoding: .utf8)) ?? ""
                stop()
                throw SandboxError("the private TLS server did not start: \(log.suffix(600))")
            }
            usleep(50_000)
        }
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

}
