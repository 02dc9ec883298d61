import Foundation
import SandboxSupport
import Testing

/// The metadata server dropping the tool's connections in the middle of the backup.
///
/// Restarting the shared MariaDB would break every other test running in parallel, so the test
/// does to the tool what a restart does to a client: the server kills every session of the
/// deployment's own metadata user while the dump is reading (held on a table lock so that the
/// moment is certain). The tool sees "server has gone away / lost connection" exactly as after a restart.
@Suite("server drops connections mid-copy", .integration, .tags(.mariadb, .docker))
struct ServerDropTests {
    @Test("connections killed during the online copy: clear error, safe rollback, triggers removed, data unchanged")
    func connectionsKilledDuringBackup() throws {
        let mysql = try Sandbox.mysql()
        let user = Sandbox.uniqueName("meta")
        let password = "p'w\"#\\ $x-\(UUID().uuidString.prefix(8))"
        let passwordFile = try Sandbox.makePrivateTempDirectory().appending(path: "password")
        // The password file and the admin defaults file written beside it go with the test.
        defer { try? FileManager.default.removeItem(at: passwordFile.deletingLastPathComponent()) }
        try Sandbox.writePrivateFile(passwordFile, contents: password)
        try mysql.query(
            """
            CREATE USER \(SandboxMySQL.quoteString(user))@'%' IDENTIFIED BY \(SandboxMySQL.quoteString(password));
            GRANT ALL PRIVILEGES ON *.* TO \(SandboxMySQL.quoteString(user))@'%';
            """)
        defer { _ = try? mysql.query("DROP USER IF EXISTS \(SandboxMySQL.quoteString(user))@'%'") }

        let deployment = try Sandbox.deployFixture(extraArgs: [
            "--meta-user", user, "--meta-password-file", passwordFile.path,
        ])
        let workDir = try Sandbox.makePrivateTempDirectory()
        let newName = Sandbox.uniqueName("oms_new")
        defer {
            deployment.removeAll(extraContainers: [newName])
            try? FileManager.default.removeItem(at: workDir)
        }
        let scenario = UpgradeScenario(deployment: deployment, workDir: workDir, newName: newName)
        let before = try scenario.rowCounts()

        // Hold a write lock on an rm table so the online copy is certainly mid-way when the sessions die.
        let lockMarker = Sandbox.uniqueName("lock_holder")
        let cnf = passwordFile.deletingLastPathComponent().appending(path: "admin.cnf")
        try Sandbox.writePrivateFile(cnf, contents: mysql.optionFileContents())
        let lockHolder = try CLI.Running(
            executable: URL(filePath: "/usr/bin/mariadb"),
            arguments: [
                "--defaults-extra-file=\(cnf.path)", "-e",
                "LOCK TABLES \(SandboxMySQL.quoteIdentifier(deployment.rmDatabase)).oms_project WRITE; SELECT 'LOCK_MARKER', SLEEP(120);"
                    .replacingOccurrences(of: "LOCK_MARKER", with: lockMarker),
            ], environment: [:])
        // Ending the client does not end its server session: kill the session to free the lock.
        func releaseLock() throws {
            for session in try mysql.rows(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE \(SandboxMySQL.quoteString("%\(lockMarker)%")) AND INFO NOT LIKE '%PROCESSLIST%'"
            ) {
                _ = try? mysql.query("KILL CONNECTION \(session[0])")
            }
            lockHolder.terminate()
        }
        defer {
            try? releaseLock()
            _ = lockHolder.wait()
        }
        Thread.sleep(forTimeInterval: 0.5)

        // No retry budget: the step fails at once (with a budget it is re-entered: MetaServerRestartTests).
        let apply = try CLI.start(scenario.applyArguments(["--meta-retry-timeout", "0"]))
        #expect(eventually(timeout: 60) { scenario.journalHas("step-started", step: "online-copy") })
        Thread.sleep(forTimeInterval: 1)
        let sessions = try mysql.rows(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = \(SandboxMySQL.quoteString(user))")
        #expect(!sessions.isEmpty, "the tool has sessions open during the online copy")
        for session in sessions { _ = try? mysql.query("KILL CONNECTION \(session[0])") }
        try releaseLock()

        let result = apply.wait()
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("online-copy"), "\(result)")
        #expect(result.stderr.contains("rolled back"), "\(result)")
        #expect(!result.stderr.contains(password) && !result.stdout.contains(password))
        #expect(try deployment.isRunning(), "the old container runs again")
        #expect(try scenario.isHealthy(deployment.containerName))
        #expect(try scenario.rowCounts() == before)
        #expect(try scenario.captureTriggers() == [], "the rollback removes the capture triggers")
        try scenario.expectWriterConsistent()
    }
}
