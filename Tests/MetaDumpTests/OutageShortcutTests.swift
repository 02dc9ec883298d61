import Foundation
import MetaDB
import SandboxSupport
import Testing

@testable import MetaDump
@testable import OnlineCopy

/// The shortcuts that keep reads and DDL out of the outage on both servers: the prune of the
/// rows left after the online pre-prune, the swap back's preparation before the stop, and the
/// one-statement `RENAME` when no foreign-key name clashes.
@Suite(.integration, .tags(.mariadb)) struct OutageShortcutTests {
    @Test(arguments: MetadataServer.allCases)
    func tailPruneKeepsTheNewestRowFromTheFloorUp(_ server: MetadataServer) async throws {
        try await TestServer.withDatabase("md_tail", server: server) { q in
            [
                "CREATE TABLE \(q).heatbeat_sequence (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, gmt_created datetime)",
                "INSERT INTO \(q).heatbeat_sequence (id, gmt_created) VALUES (10, NOW()), (11, NOW()), (12, NOW()), (13, NOW())",
            ]
        } test: { db, q in
            let pruner = HeartbeatPruner(server: try TestServer.options(server), database: db)
            #expect(try await pruner.pruneTail(above: 11, limit: 1) == nil, "more rows than the limit: nothing done")
            let result = try #require(try await pruner.pruneTail(above: 11, limit: 100))
            #expect(result.rowsDeleted == 2 && result.keptID == 13 && result.rowsAfter == 1)
            #expect(result.nextAutoIncrement == 14, "read from SHOW CREATE TABLE in either server's spelling")
            let connection = try TestServer.connect(server: server)
            defer { connection.close() }
            let ids = try connection.query("SELECT id FROM \(q).heatbeat_sequence ORDER BY id").rows.compactMap {
                $0[0].string
            }
            #expect(ids == ["10", "13"], "only the rows from the floor up are touched, the newest kept")
            let again = try #require(try await pruner.pruneTail(above: 11, limit: 100))
            #expect(again.rowsDeleted == 0 && again.keptID == 13, "idempotent")
        }
    }

    @Test(arguments: MetadataServer.allCases)
    func preparedSwapBackUsesItsQuarantineAndSplitsOnlyOnAForeignKeyClash(_ server: MetadataServer) async throws {
        try await TestServer.withDatabase("md_prep", server: server) { q in
            [
                "CREATE TABLE \(q).parent (id int NOT NULL PRIMARY KEY, name varchar(20))",
                "CREATE TABLE \(q).plain (id int NOT NULL PRIMARY KEY)",
                "INSERT INTO \(q).parent VALUES (1, 'one')",
                "CREATE VIEW \(q).v_parent AS SELECT id, name FROM \(q).parent",
            ]
        } test: { db, q in
            let snapshot = Snapshot(server: try TestServer.options(server))
            _ = try await snapshot.take(databases: [db], label: "prep")
            let snap = try DatabaseNames.snapshot(db, label: "prep")
            let connection = try TestServer.connect(server: server)
            defer { connection.close() }
            #expect(
                try !TableSwap.foreignKeyNamesClash(connection, live: db, source: snap, incoming: ["parent", "plain"]),
                "no foreign keys: one RENAME")
            try TestServer.run(
                [
                    "INSERT INTO \(q).parent VALUES (2, 'two')",
                    "CREATE TABLE \(q).child (id int NOT NULL PRIMARY KEY, parent_id int NOT NULL, "
                        + "CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES \(q).parent (id))",
                    "CREATE TABLE \(SQL.qualified(snap, "child")) (id int NOT NULL PRIMARY KEY, parent_id int NOT NULL, "
                        + "CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES \(SQL.qualified(snap, "parent")) (id))",
                ], server: server)
            #expect(
                try TableSwap.foreignKeyNamesClash(connection, live: db, source: snap, incoming: ["child", "parent"]))
            #expect(
                try !TableSwap.foreignKeyNamesClash(connection, live: db, source: snap, incoming: ["parent"]),
                "a snapshot table that does not move in does not count")
            try connection.execute("DROP TABLE \(SQL.qualified(snap, "child"))")

            // Before the stop: the quarantine is named in the marker, created, and holds the view's definition.
            try await snapshot.prepareSwapBack(databases: [db], label: "prep")
            let marker = Marker(connection: connection, database: snap)
            #expect(try marker.state() == .complete, "preparing changes no state")
            let quarantine = try #require(try marker.record(source: db).quarantineDatabase)
            let saved = try connection.query(
                "SELECT name FROM \(SQL.qualified(quarantine, TableSwap.quarantinedViewsTable))"
            ).rows.compactMap { $0[0].string }
            #expect(saved == ["v_parent"])
            try await snapshot.prepareSwapBack(databases: [db], label: "prep")  // idempotent

            let back = try await snapshot.swapBack(databases: [db], label: "prep")
            #expect(back[0].state == .swappedBack && back[0].quarantineDatabase == quarantine)
            let tables = try connection.query(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SQL.quoteString(db)) ORDER BY 1"
            ).rows.compactMap { $0[0].string }
            #expect(tables == ["parent", "plain", "v_parent"], "the snapshot's tables and its view are live again")
            #expect(try connection.scalar("SELECT COUNT(*) FROM \(q).v_parent").int64 == 1)
            let aside = try connection.query(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SQL.quoteString(quarantine)) ORDER BY 1"
            ).rows.compactMap { $0[0].string }
            #expect(Set(aside) == [TableSwap.quarantinedViewsTable, "child", "parent", "plain"])
        }
    }
}
