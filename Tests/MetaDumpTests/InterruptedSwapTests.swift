import Foundation
import MetaDB
import SandboxSupport
import Testing

@testable import MetaDump
@testable import OnlineCopy

/// A swap back interrupted after the live tables moved out (on the OceanBase kernel the swap is
/// two `RENAME TABLE`s, because of its foreign-key name check) is completed by the next swap back:
/// a database is never left half-swapped.
@Suite(.integration, .tags(.mariadb)) struct InterruptedSwapTests {
    @Test(arguments: MetadataServer.allCases)
    func swapBackCompletesAfterTheLiveTablesMovedOut(_ server: MetadataServer) async throws {
        try await TestServer.withDatabase("md_swap_fk", server: server) { q in
            [
                "CREATE TABLE \(q).parent (id int NOT NULL PRIMARY KEY, name varchar(20))",
                "CREATE TABLE \(q).child (id int NOT NULL PRIMARY KEY, parent_id int NOT NULL, "
                    + "CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES \(q).parent (id))",
                "INSERT INTO \(q).parent VALUES (1, 'one'), (2, 'two')",
                "INSERT INTO \(q).child VALUES (10, 1), (20, 2)",
            ]
        } test: { db, q in
            let snapshot = Snapshot(server: try TestServer.options(server))
            _ = try await snapshot.take(databases: [db], label: "fk")
            // The upgrade: new rows and a new table.
            try TestServer.run(
                [
                    "INSERT INTO \(q).parent VALUES (3, 'three')", "INSERT INTO \(q).child VALUES (30, 3)",
                    "CREATE TABLE \(q).added (id int NOT NULL PRIMARY KEY)",
                ], server: server)

            // As if killed between the two RENAMEs: the marker says swapping, the live tables are in quarantine.
            let snap = try DatabaseNames.snapshot(db, label: "fk")
            let quarantine = try DatabaseNames.quarantine(db, label: "fk")
            let qq = SQL.quoteIdentifier(quarantine)
            let connection = try TestServer.connect(server: server)
            defer { connection.close() }
            try Marker(connection: connection, database: snap).setMeta(.swapping, quarantine: quarantine, source: db)
            try connection.execute("CREATE DATABASE \(qq)")
            try connection.execute(
                "RENAME TABLE \(q).parent TO \(qq).parent, \(q).child TO \(qq).child, \(q).added TO \(qq).added")

            let back = try await snapshot.swapBack(databases: [db], label: "fk")
            #expect(back[0].state == .swappedBack)
            #expect(back[0].quarantineDatabase == quarantine)
            let tables = try connection.query(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SQL.quoteString(db)) ORDER BY 1"
            ).rows.compactMap { $0[0].string }
            #expect(tables == ["child", "parent"], "the pre-upgrade tables, and only they, are live again")
            let rows = try connection.query(
                "SELECT CONCAT(c.id, ':', p.name) FROM \(q).child c JOIN \(q).parent p ON p.id = c.parent_id ORDER BY c.id"
            ).rows.compactMap { $0[0].string }
            #expect(rows == ["10:one", "20:two"])
            // The live child's foreign key points at the live parent: freeing a parent row works.
            try connection.execute("DELETE FROM \(q).child WHERE id = 10")
            try connection.execute("DELETE FROM \(q).parent WHERE id = 1")
            #expect(
                try connection.query("SELECT id FROM \(qq).added").rows.isEmpty,
                "the upgraded tables stay in quarantine")
        }
    }
}
