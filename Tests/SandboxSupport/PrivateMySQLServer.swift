import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A MariaDB server of the test's own, on its own port, data directory and socket, with any global settings.
///
/// Tests that need hostile server settings (a global `sql_mode` with
/// `NO_BACKSLASH_ESCAPES`/`ANSI_QUOTES`, a short `wait_timeout`) or that restart
/// the server must never touch the shared sandbox server: they start one of these.
/// The data directory is made with `mariadb-install-db`; an admin account
/// (``user``, ``password``, reachable on 127.0.0.1 over TCP) is created by an
/// init file at every start. ``stop()``, ``start()`` and ``restart(downFor:)``
/// keep the data; ``remove()`` (also `deinit`) stops the server and deletes everything.
public final class PrivateMySQLServer: @unchecked Sendable {
    // @unchecked: `process` is only touched under `lock`.

    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The directory holding data, socket, logs and the password file (0700).
    public let directory: URL
    /// The admin account's user name.
    public let user = "oms_private"
    /// The admin account's password (random).
    public let password: String
    /// A 0600 file holding ``password`` (for `scripts/deploy-fixture.sh --meta-password-file`).
    public var passwordFile: URL { directory.appendingPathComponent("password") }
    /// Extra `mariadbd` options, such as `--sql-mode=ANSI_QUOTES` or `--wait-timeout=2`.
    public let serverArguments: [String]

    private let lock = NSLock()
    private var process: Process?

    /// The account as a ``SandboxMySQL``, for its query helpers.
    public var account: SandboxMySQL {
        SandboxMySQL(host: "127.0.0.1", port: port, user: user, password: password, passwordFile: passwordFile)
    }

    /// Creates the data directory and starts the server with `serverArguments`.
    public init(serverArguments: [String] = []) throws {
        self.serverArguments = serverArguments
        directory = try Sandbox.makePrivateTempDirectory()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        password = String((0..<24).map { _ in alphabet.randomElement()! })
        port = Sandbox.freePort()
        let dir = directory.path
        try Sandbox.writePrivateFile(passwordFile, contents: password)
        try Sandbox.writePrivateFile(
            directory.appendingPathComponent("init.sql"),
            contents: """
                CREATE USER IF NOT EXISTS '\(user)'@'127.0.0.1' IDENTIFIED BY '\(password)';
                CREATE USER IF NOT EXISTS '\(user)'@'localhost' IDENTIFIED BY '\(password)';
                GRANT ALL PRIVILEGES ON *.* TO '\(user)'@'127.0.0.1' WITH GRANT OPTION;
                GRANT ALL PRIVILEGES ON *.* TO '\(user)'@'localhost' WITH GRANT OPTION;

                """)
        guard
            let installDB = ["/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db"]
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { throw SandboxError("mariadb-install-db not found: \(SandboxError.sandboxUpHint)") }
        // A private tmpdir: two bootstraps sharing /tmp collide on their temporary tables.
        try FileManager.default.createDirectory(atPath: "\(dir)/tmp", withIntermediateDirectories: true)
        let installed = try Sandbox.run(
            installDB,
            [
                "--no-defaults", "--datadir=\(dir)/data", "--user=root",
                "--tmpdir=\(dir)/tmp",
                "--skip-test-db", "--auth-root-authentication-method=socket",
            ])
        guard installed.status == 0 else {
            remove()
            throw SandboxError("mariadb-install-db failed: \(installed.stderr.suffix(800))")
        }
        do {
            try start()
        } catch {
            remove()
            throw error
        }
    }

    deinit { remove() }

    /// Starts the server on the existing data and waits until it accepts connections (up to 180 s on a busy host).
    public func start() throws {
        let dir = directory.path
        let mariadbd =
            ["/usr/sbin/mariadbd", "/usr/bin/mariadbd", "/usr/sbin/mysqld"]
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "mariadbd"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mariadbd)
        process.arguments =
            [
                "--no-defaults", "--datadir=\(dir)/data", "--socket=\(dir)/mysqld.sock", "--port=\(port)",
                "--bind-address=127.0.0.1", "--user=root", "--skip-log-bin", "--innodb-buffer-pool-size=32M",
                "--innodb-temp-data-file-path=ibtmp1:1M:autoextend",
                "--pid-file=\(dir)/mysqld.pid", "--tmpdir=\(dir)/tmp", "--log-error=\(dir)/error.log",
                "--init-file=\(dir)/init.sql",
            ] + serverArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        lock.withLock { self.process = process }
        let deadline = ContinuousClock.now + .seconds(180)
        while !accepts() {
            guard process.isRunning, ContinuousClock.now < deadline else {
                let log = (try? String(contentsOfFile: "\(dir)/error.log", encoding: .utf8)) ?? ""
                stop()
                throw SandboxError("the private MariaDB server did not start: \(log.suffix(800))")
            }
            usleep(200_000)
        }
    }

    /// Stops the server (SIGTERM, then waits for it to exit); the data stays.
    public func stop() {
        let process = lock.withLock { () -> Process? in
            defer { self.process = nil }
            return self.process
        }
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Stops the server, waits `downFor`, and starts it again.
    public func restart(downFor: Duration = .seconds(2)) throws {
        stop()
        Thread.sleep(
            forTimeInterval: Double(downFor.components.seconds) + Double(downFor.components.attoseconds) / 1e18)
        try start()
    }

    /// Stops the server and deletes its directory.
    public func remove() {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Whether the server answers a login with the admin account.
    public func accepts() -> Bool {
        (try? account.scalar("SELECT 1")) == "1"
    }
}
