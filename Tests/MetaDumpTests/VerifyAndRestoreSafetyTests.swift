import Foundation
import MetaDB
import MetaDump
import SandboxSupport
import Synchronization
import Testing

@Suite(.integration, .tags(.mariadb)) struct VerifyAndRestoreSafetyTests {
    /// A database with two tables and a view, backed up natively; returns (db, backup dir, file path).
    func backedUp(_ prefix: String, dumper: BackupDumper = .native) async throws -> (String, String, String) {
        let db = Sandbox.uniqueName(prefix)
        try TestServer.run(["CREATE DATABASE `\(db)`"])
        try TestServer.run(
            [
                "CREATE TABLE a (id int PRIMARY KEY, s varchar(50))",
                "INSERT INTO a SELECT seq, CONCAT('row ', seq, ' it''s') FROM seq_1_to_3000",
                "CREATE TABLE b (x blob)",
                "INSERT INTO b VALUES (0x00), (NULL), ('')",
                "CREATE VIEW v AS SELECT id FROM a",
            ], database: db)
        let dir = try TestServer.backupDirectory("v")
        let manifest = try await Backup(
            server: try TestServer.options(), databases: [db], directory: dir, dumper: dumper
        ).run()
        return (db, dir, dir + "/" + manifest.databases[0].file.name)
    }

    @Test func backupFilesArePrivate() async throws {
        let (db, dir, file) = try await backedUp("md_perm")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        let mode = { (path: String) in
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue
        }
        #expect(mode(dir) == 0o700)
        #expect(mode(file) == 0o600)
        #expect(mode(dir + "/manifest.json") == 0o600)
    }

    @Test func truncatedFileFailsVerify() async throws {
        let (db, dir, file) = try await backedUp("md_trunc")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as! NSNumber
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try handle.truncate(atOffset: UInt64(size.int64Value / 2))
        try handle.close()
        let report = await BackupVerifier().verify(dir)
        #expect(!report.isValid)
        #expect(report.problems.contains { $0.contains("bytes, but the manifest says") })
        #expect(report.problems.contains { $0.contains("SHA-256") })
        #expect(report.problems.contains { $0.contains("rows in") || $0.contains("has no CREATE") })
    }

    @Test func editedFileFailsVerify() async throws {
        let (db, dir, file) = try await backedUp("md_edit")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        var text = try String(contentsOfFile: file, encoding: .utf8)
        text = text.replacing("'row 17 it\\'s'", with: "'row 71 it\\'s'")
        try text.write(toFile: file, atomically: false, encoding: .utf8)
        let report = await BackupVerifier().verify(dir)
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.contains("SHA-256") == true)
    }

    @Test func removedRowsFailVerifyEvenWithAMatchingHash() async throws {
        let (db, dir, file) = try await backedUp("md_rows")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        var text = try String(contentsOfFile: file, encoding: .utf8)
        text = text.replacing("(17,'row 17 it\\'s'),", with: "")
        try text.write(toFile: file, atomically: false, encoding: .utf8)
        // Make size and hash agree with the edit: only the row count can catch it.
        var manifest = try BackupManifest.read(from: dir)
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        manifest.databases[0].file.size = Int64(data.count)
        manifest.databases[0].file.sha256 = try sha256Hex(ofFile: file)
        try manifest.write(to: dir)
        let report = await BackupVerifier().verify(dir)
        #expect(report.problems == ["Table `\(db)`.`a` has 2999 rows in \(db).sql, but the manifest says 3000."])
    }

    @Test func missingFileOrManifestFailsVerify() async throws {
        let (db, dir, file) = try await backedUp("md_missing")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try FileManager.default.removeItem(atPath: file)
        let report = await BackupVerifier().verify(dir)
        #expect(report.problems.contains { $0.contains("is missing") })
        try FileManager.default.removeItem(atPath: dir + "/manifest.json")
        let noManifest = await BackupVerifier().verify(dir)
        #expect(noManifest.problems.count == 1)
        #expect(noManifest.problems[0].contains("incomplete"))
    }

    @Test func restoreOfABrokenBackupTouchesNothing() async throws {
        let (db, dir, file) = try await backedUp("md_broken")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try handle.truncate(atOffset: 100)
        try handle.close()
        await #expect(throws: MetaDumpError.self) {
            _ = try await Restorer(server: try TestServer.options()).restore(from: dir, into: .suffix("_r"))
        }
        let connection = try TestServer.connect()
        defer { connection.close() }
        #expect(try connection.query("SHOW DATABASES LIKE '\(db)_r'").isEmpty)
    }

    @Test(arguments: BackupDumper.allCases)
    func restoreRefusesANonEmptyDatabaseWithoutForce(dumper: BackupDumper) async throws {
        let (db, dir, _) = try await backedUp("md_refuse", dumper: dumper)
        defer { TestServer.dropDatabases(startingWith: [db]) }
        let server = try TestServer.options()
        // The live database has moved on since the backup.
        try TestServer.run(["INSERT INTO a VALUES (99999, 'new')", "CREATE TABLE newer (i int)"], database: db)
        await #expect {
            _ = try await Restorer(server: server).restore(from: dir)
        } throws: { error in
            guard let error = error as? MetaDumpError else { return false }
            return error.kind == .refused && error.description.contains("`\(db)` is not empty")
                && error.description.contains("--force")
        }
        let connection = try TestServer.connect(database: db)
        defer { connection.close() }
        #expect(try connection.scalar("SELECT COUNT(*) FROM a").int64 == 3001)

        let report = try await Restorer(server: server).restore(from: dir, force: true)
        #expect(try connection.scalar("SELECT COUNT(*) FROM a").int64 == 3000)
        #expect(
            try connection.query("SHOW FULL TABLES").rows.map { "\($0[0].string!) \($0[1].string!)" }.sorted()
                == ["a BASE TABLE", "b BASE TABLE", "v VIEW"])
        let quarantine = try #require(report.databases[0].quarantine)
        #expect(try connection.scalar("SELECT COUNT(*) FROM `\(quarantine)`.a").int64 == 3001)
        #expect(
            try connection.scalar(
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '\(quarantine)' AND TABLE_NAME = 'newer'"
            ).int64 == 1)
        #expect(try connection.query("SHOW DATABASES LIKE '\(db)\\_\\_restore\\_%'").isEmpty)
    }

    @Test func aDroppedConnectionLeavesNoCompleteLookingFile() async throws {
        let db = Sandbox.uniqueName("md_kill")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try TestServer.run(["CREATE DATABASE `\(db)`"])
        try TestServer.run(
            [
                "CREATE TABLE big (id int PRIMARY KEY, s varchar(200))",
                "INSERT INTO big SELECT seq, REPEAT('x', 150) FROM seq_1_to_1000000",
            ], database: db)
        let dir = try TestServer.backupDirectory("k")
        let server = try TestServer.options()
        // Kill the session that streams the rows as soon as it shows up. The killer polls on a thread of
        // its own: a task on the cooperative pool may not run at all while other tests block that pool.
        let killer = SessionKiller(pattern: "SELECT `id`,`s`%FROM `\(db)`.`big`%")
        killer.start()
        await #expect(throws: MetaDumpError.self) {
            _ = try await Backup(server: server, databases: [db], directory: dir).run()
        }
        killer.stop()
        #expect(await killer.result(), "the killer found and killed the streaming session")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(files.isEmpty, "left behind: \(files)")
    }
}

/// SHA-256 of a file, lower-case hex, by `sha256sum`.
func sha256Hex(ofFile path: String) throws -> String {
    String(try Sandbox.runChecked("sha256sum", [path]).prefix(64))
}

/// Polls the process list on a dedicated thread and KILLs the first session whose query matches `pattern`;
/// it keeps polling until it has killed one or ``stop()`` is called (however late the backup starts).
final class SessionKiller: Sendable {
    private let pattern: String
    private let outcome = Mutex<Bool?>(nil)
    private let stopped = Mutex(false)

    /// Ends the polling (the work it watches for is over).
    func stop() { stopped.withLock { $0 = true } }

    init(pattern: String) { self.pattern = pattern }

    func start() {
        let thread = Thread { [self] in
            var killed = false
            defer { outcome.withLock { $0 = killed } }
            guard let connection = try? TestServer.connect() else { return }
            defer { connection.close() }
            let query = "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE \(SQL.quoteString(pattern))"
            while !stopped.withLock({ $0 }) {
                if let id = (try? connection.query(query))?.rows.compactMap({ $0[0].int64 }).first {
                    killed = (try? connection.execute("KILL \(id)")) != nil
                    return
                }
                usleep(5_000)
            }
        }
        thread.start()
    }

    /// Whether a session was killed, once the killer thread has finished.
    func result() async -> Bool {
        while true {
            if let done = outcome.withLock({ $0 }) { return done }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
