import Foundation
import MetaDB
import MetaDump
import SandboxSupport
import Testing

@Suite(.integration, .tags(.mariadb)) struct SmokeTests {
    @Test func backupVerifiesAndRestores() async throws {
        let db = Sandbox.uniqueName("md_smoke")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try TestServer.run([
            "CREATE DATABASE `\(db)`",
            """
            CREATE TABLE `\(db)`.t (id bigint AUTO_INCREMENT PRIMARY KEY, s varchar(100), b blob, j json,
              d datetime(6), bits bit(10), f float, g int AS (id * 2) VIRTUAL, x decimal(30,10)) AUTO_INCREMENT=1000
            """,
            "INSERT INTO `\(db)`.t (s, b, j, d, bits, f, x) VALUES ('a''b\\\\c;--x', 0x00FF27, '{\"k\": [1, \"x\"]}', '2024-01-02 03:04:05.123456', b'1010101010', 1.5, -12345678901234567890.0123456789), (NULL, '', NULL, NULL, NULL, NULL, NULL), ('', NULL, 'null', '1000-01-01 00:00:00', b'0', -0.0, 0)",
            "CREATE VIEW `\(db)`.v AS SELECT id, s FROM `\(db)`.t WHERE id > 0",
        ])
        // Unqualified, as usual: mysqldump keeps a trigger's text as written, so a qualified one
        // would restore into the original database instead of the new name.
        try TestServer.run(
            [
                "CREATE TRIGGER t_ins BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.s = CONCAT(';', NEW.s); SET NEW.f = 2; END"
            ], database: db)
        let server = try TestServer.options()
        for dumper in BackupDumper.allCases {
            let dir = try TestServer.backupDirectory("b-\(dumper)")
            let manifest = try await Backup(server: server, databases: [db], directory: dir, dumper: dumper).run()
            let report = await BackupVerifier().verify(dir)
            #expect(report.problems == [])
            let restored = try await Restorer(server: server).restore(from: dir, into: .suffix("_r"))
            #expect(restored.databases.first?.target == db + "_r")
            let original = try await DatabaseChecksums.compute(server: server, database: db)
            let copy = try await DatabaseChecksums.compute(server: server, database: db + "_r")
            #expect(original == copy)
            #expect(original["t"] == manifest.databases[0].table("t")?.checksum)
            await #expect(throws: MetaDumpError.self) {
                try await Restorer(server: server).restore(from: dir, into: .suffix("_r"))
            }
            let forced = try await Restorer(server: server).restore(from: dir, into: .suffix("_r"), force: true)
            #expect(forced.databases.first?.quarantine != nil)
            let check = try TestServer.connect(database: db + "_r")
            defer { check.close() }
            #expect(
                try check.scalar("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")
                    .int64 == 1, "\(dumper)")
            try check.execute("INSERT INTO t (s) VALUES ('x')")
            #expect(try check.scalar("SELECT s FROM t ORDER BY id DESC LIMIT 1").string == ";x", "\(dumper)")
            TestServer.dropDatabases(startingWith: [db + "_"])
        }
    }

    /// A table spread over many INSERT statements round-trips exactly.
    @Test func largeTableRoundTrips() async throws {
        let db = Sandbox.uniqueName("md_large")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try TestServer.run(["CREATE DATABASE `\(db)`"])
        try TestServer.run(
            [
                "CREATE TABLE big (id bigint PRIMARY KEY, s varchar(20), n int NULL)",
                "INSERT INTO big SELECT seq * 3, CONCAT('r', seq), IF(seq % 7 = 0, NULL, seq) FROM seq_1_to_450000",
                "CREATE TABLE small (id int PRIMARY KEY)",
                "INSERT INTO small VALUES (1), (2)",
                "ANALYZE TABLE big",
            ], database: db)
        let server = try TestServer.options()
        let dir = try TestServer.backupDirectory("large")
        let manifest = try await Backup(server: server, databases: [db], directory: dir).run()
        #expect(manifest.databases[0].table("big")?.rowCount == 450_000)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["\(db).sql", "manifest.json"].sorted())
        #expect(await BackupVerifier().verify(dir).problems == [])
        _ = try await Restorer(server: server).restore(from: dir, into: .suffix("_r"))
        let original = try await DatabaseChecksums.compute(server: server, database: db)
        #expect(try await DatabaseChecksums.compute(server: server, database: db + "_r") == original)
        #expect(original["big"] == manifest.databases[0].table("big")?.checksum)
    }
}
