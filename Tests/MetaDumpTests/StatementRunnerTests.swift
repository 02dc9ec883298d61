import Foundation
import MetaDB
import SandboxSupport
import Testing

@testable import MetaDump

/// The fallback for mysqldump files when no client program is installed: statement by statement on one connection.
@Suite(.integration, .tags(.mariadb)) struct StatementRunnerTests {
    @Test func runsAMysqldumpFileLikeTheClient() async throws {
        let db = Sandbox.uniqueName("md_runner")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try TestServer.run(["CREATE DATABASE `\(db)`"])
        try TestServer.run(
            [
                "CREATE TABLE t (id int PRIMARY KEY, s text, b blob)",
                "INSERT INTO t VALUES (1, 'a;b', 0x00), (2, 'it''s -- not /* a */ comment', NULL), (3, '\\\\', '')",
                "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.s = CONCAT(NEW.s, ';'); SET NEW.s = TRIM(NEW.s); END",
                "CREATE VIEW v AS SELECT id FROM t",
            ], database: db)
        let server = try TestServer.options()
        let dir = try TestServer.backupDirectory("runner")
        let manifest = try await Backup(server: server, databases: [db], directory: dir, dumper: .mysqldump).run()
        let file = dir + "/" + manifest.databases[0].file.name
        // The file carries DELIMITER ;; around the trigger and mariadb-dump's sandbox-mode comment.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("DELIMITER ;;"))

        let copy = db + "_copy"
        try TestServer.run(["CREATE DATABASE `\(copy)`"])
        try StatementRunner.run(path: file, server: server, database: copy)
        #expect(
            try await DatabaseChecksums.compute(server: server, database: copy)
                == DatabaseChecksums.compute(server: server, database: db))
        let connection = try TestServer.connect(database: copy)
        defer { connection.close() }
        #expect(
            try connection.scalar("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '\(copy)'")
                .int64 == 1)
        #expect(try connection.scalar("SELECT COUNT(*) FROM v").int64 == 3)
    }
}
