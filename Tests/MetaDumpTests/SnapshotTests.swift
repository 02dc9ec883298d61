import Foundation
import MetaDB
import MetaDump
import OnlineCopy
import SandboxSupport
import Testing

@Suite(.integration, .tags(.mariadb)) struct SnapshotTests {
    /// `SHOW CREATE TABLE` of every base table and `SHOW CREATE VIEW` of every view, and every row, of `db`.
    func state(of db: String) throws -> [String: String] {
        let connection = try TestServer.connect(database: db)
        defer { connection.close() }
        var out: [String: String] = [:]
        for row in try connection.query("SHOW FULL TABLES").rows {
            let name = row[0].string!
            if row[1].string == "VIEW" {
                out["view " + name] = try connection.query("SHOW CREATE VIEW \(SQL.quoteIdentifier(name))").rows[0][1]
                    .string!
                    .replacing(#/DEFINER=`[^`]*`@`[^`]*` /#, with: "")
            } else {
                out["table " + name] = try connection.query("SHOW CREATE TABLE \(SQL.quoteIdentifier(name))").rows[0][1]
                    .string!
                let rows = try connection.query("SELECT * FROM \(SQL.quoteIdentifier(name))").rows
                out["rows " + name] = rows.map { $0.values.map(\.description).joined(separator: "|") }.sorted().joined(
                    separator: "\n")
            }
        }
        for row in try connection.query(
            """
            SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_TIMING, ACTION_STATEMENT, SQL_MODE \
            FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '\(db)'
            """
        ).rows {
            out["trigger " + row[0].string!] = row.values.map(\.description).joined(separator: "|")
        }
        return out
    }

    func seed(_ db: String) throws {
        try TestServer.run([
            "CREATE DATABASE `\(db)`",
            "CREATE TABLE `\(db)`.config (id int AUTO_INCREMENT PRIMARY KEY, k varchar(50) NOT NULL UNIQUE, v text, b varbinary(20)) AUTO_INCREMENT=500",
            "CREATE TABLE `\(db)`.nokey (a int, b varchar(10))",
            "CREATE TABLE `\(db)`.`odd name` (id bigint PRIMARY KEY, g bigint AS (id * 2) STORED)",
        ])
        try TestServer.run(
            [
                "INSERT INTO config (k, v, b) SELECT CONCAT('key', seq), REPEAT('v', seq % 50), UNHEX(HEX(seq)) FROM seq_1_to_2500",
                "INSERT INTO nokey VALUES (1, 'a'), (1, 'a'), (NULL, NULL), (2, '')",
                "INSERT INTO `odd name` (id) SELECT seq FROM seq_1_to_1000",
                "CREATE VIEW v_config AS SELECT k, v FROM config WHERE id > 10",
                "CREATE VIEW v_top AS SELECT k FROM v_config LIMIT 5",
                "CREATE TRIGGER config_touch BEFORE UPDATE ON config FOR EACH ROW SET NEW.v = CONCAT(NEW.v, '!')",
            ], database: db)
    }

    /// What an upgrade does: a new column, a new table, changed and deleted rows, a changed view.
    func modify(_ db: String) throws {
        try TestServer.run(
            [
                "ALTER TABLE config ADD COLUMN added int DEFAULT 7",
                "UPDATE config SET v = 'changed' WHERE id % 3 = 0",
                "DELETE FROM nokey WHERE a = 2",
                "CREATE TABLE oms_version (version varchar(20))",
                "INSERT INTO oms_version VALUES ('3.3.0-CE')",
                "CREATE OR REPLACE VIEW v_config AS SELECT k FROM config",
                "CREATE VIEW v_new AS SELECT 1 AS one",
                "DROP TRIGGER config_touch",
                "CREATE TRIGGER nokey_new BEFORE INSERT ON nokey FOR EACH ROW SET NEW.b = 'x'",
            ], database: db)
    }

    @Test func swapBackRestoresSchemaAndRowsAndQuarantinesTheUpgrade() async throws {
        let db = Sandbox.uniqueName("md_snap")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try seed(db)
        let before = try state(of: db)
        let snapshot = Snapshot(server: try TestServer.options())

        let taken = try await snapshot.take(databases: [db], label: "t1")
        #expect(taken[0].state == .complete)
        #expect(taken[0].tables["config"]?.rowCount == 2500)
        #expect(taken[0].views.sorted() == ["v_config", "v_top"])
        // Taking it again changes nothing.
        let again = try await snapshot.take(databases: [db], label: "t1")
        #expect(again[0].tables == taken[0].tables)

        try modify(db)
        #expect(try state(of: db) != before)

        let back = try await snapshot.swapBack(databases: [db], label: "t1")
        #expect(back[0].state == .swappedBack)
        #expect(try state(of: db) == before)
        let quarantine = try #require(back[0].quarantineDatabase)
        let moved = try TestServer.connect(database: quarantine)
        defer { moved.close() }
        let movedTables = Set(try moved.query("SHOW TABLES").rows.compactMap { $0[0].string })
        #expect(movedTables == ["config", "nokey", "odd name", "oms_version", "__oms_quarantined_views"])
        #expect(
            try moved.scalar(
                "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '\(quarantine)' AND COLUMN_NAME = 'added'"
            ).int64 == 1)

        // A second call after success is a no-op that verifies again.
        let twice = try await snapshot.swapBack(databases: [db], label: "t1")
        #expect(twice[0].quarantineDatabase == quarantine)
        try await snapshot.drop(databases: [db], label: "t1")
        #expect(try await snapshot.status(databases: [db], label: "t1")[0].state == .absent)
    }

    @Test func takeFinishesAnInterruptedCopy() async throws {
        let db = Sandbox.uniqueName("md_snap_take")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try seed(db)
        let snapshot = Snapshot(server: try TestServer.options())
        let first = try await snapshot.take(databases: [db], label: "x")
        let snap = first[0].snapshotDatabase
        // As if killed while copying `config`: half a table, no record of it, state copying.
        try TestServer.run(
            [
                "DELETE FROM __oms_snapshot WHERE kind = 'table' AND name = 'config'",
                "UPDATE __oms_snapshot SET state = 'copying' WHERE kind = 'meta' AND name = 'snapshot'",
                "DELETE FROM config WHERE id > 1000",
            ], database: snap)
        #expect(try await snapshot.status(databases: [db], label: "x")[0].state == .copying)
        let second = try await snapshot.take(databases: [db], label: "x")
        #expect(second[0].state == .complete)
        #expect(second[0].tables == first[0].tables)
    }

    @Test func swapBackFinishesAnInterruptedSwap() async throws {
        let db = Sandbox.uniqueName("md_snap_swap")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try seed(db)
        let before = try state(of: db)
        let snapshot = Snapshot(server: try TestServer.options())
        _ = try await snapshot.take(databases: [db], label: "y")
        try modify(db)
        let back = try await snapshot.swapBack(databases: [db], label: "y")
        let snap = back[0].snapshotDatabase
        // As if killed after the RENAME, before the views were created.
        try TestServer.run(
            [
                "UPDATE __oms_snapshot SET state = 'swapping' WHERE kind = 'meta' AND name = 'snapshot'"
            ], database: snap)
        try TestServer.run(
            ["DROP VIEW v_top", "DROP VIEW v_config", "DROP TRIGGER IF EXISTS config_touch"], database: db)
        let resumed = try await snapshot.swapBack(databases: [db], label: "y")
        #expect(resumed[0].state == .swappedBack)
        #expect(resumed[0].quarantineDatabase == back[0].quarantineDatabase)
        #expect(try state(of: db) == before)
    }

    @Test func swapBackWithoutSnapshotChangesNothing() async throws {
        let db = Sandbox.uniqueName("md_snap_none")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try seed(db)
        let before = try state(of: db)
        await #expect(throws: MetaDumpError.self) {
            _ = try await Snapshot(server: try TestServer.options()).swapBack(databases: [db], label: "nope")
        }
        #expect(try state(of: db) == before)
    }
}
