import Foundation
import MetaDB
import SandboxSupport
import Testing

@testable import MetaDump
@testable import OnlineCopy

/// At the stop, the capture triggers of large tables are dropped on every server; on the OceanBase
/// kernel those of the small tables stay, inert, until ``Snapshot/finishCapture(databases:label:)``.
@Suite(.integration, .tags(.mariadb)) struct CaptureDropAtStopTests {
    @Test(
        "the stop drops the large tables' capture triggers, the rest go after it, and the snapshot is exact",
        arguments: MetadataServer.allCases)
    func largeTablesLoseTheirTriggersAtTheStop(_ server: MetadataServer) async throws {
        try await TestServer.withDatabase("md_dropstop", server: server) { q in
            [
                "CREATE TABLE \(q).big (id int NOT NULL PRIMARY KEY, v int)",
                "CREATE TABLE \(q).small (id int NOT NULL PRIMARY KEY, v int)",
                "INSERT INTO \(q).big VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0)",
                "INSERT INTO \(q).small VALUES (1, 0), (2, 0)",
            ]
        } test: { db, q in
            let label = "dropstop"
            let snapshot = Snapshot(server: try TestServer.options(server))
            _ = try await snapshot.copyOnline(databases: [db], label: label)
            try TestServer.run(
                ["UPDATE \(q).big SET v = 1 WHERE id = 2", "DELETE FROM \(q).small WHERE id = 1"], server: server)

            let dropped = try await snapshot.stopCapture(databases: [db], label: label, dropFromRows: 4)
            let oceanBase = server == .oceanbase
            #expect(dropped == (oceanBase ? 3 : 6), "the stop drops big's three triggers (all six on MariaDB)")
            let left = try Self.captureTriggerTables(db, label: label, server: server)
            #expect(left == (oceanBase ? ["small", "small", "small"] : []), "only the small table's stay, inert")

            // Left inert, the small table's triggers log nothing more; resumed, the stop does the same again.
            try TestServer.run(["UPDATE \(q).small SET v = 2 WHERE id = 2"], server: server)
            #expect(try await snapshot.stopCapture(databases: [db], label: label, dropFromRows: 4) == 0)
            _ = try await snapshot.catchUp(databases: [db], label: label)
            try await snapshot.finishCapture(databases: [db], label: label)
            #expect(try Self.captureTriggerTables(db, label: label, server: server).isEmpty)

            let snap = try DatabaseNames.snapshot(db, label: label)
            let reader = try TestServer.connect(server: server)
            defer { reader.close() }
            func rows(_ database: String, _ table: String) throws -> [String] {
                try reader.query("SELECT id, v FROM \(SQL.qualified(database, table)) ORDER BY id").rows.map {
                    "\($0[0].string ?? "")=\($0[1].string ?? "")"
                }
            }
            #expect(try rows(snap, "big") == ["1=0", "2=1", "3=0", "4=0", "5=0"])
            // The delete before the stop is in the snapshot; the update after it is not (the capture was off).
            #expect(try rows(snap, "small") == ["2=0"])
        }
    }

    /// The table of each capture trigger of `label` left in `db`, sorted.
    static func captureTriggerTables(_ db: String, label: String, server: MetadataServer) throws -> [String] {
        let connection = try TestServer.connect(server: server)
        defer { connection.close() }
        return try connection.query(
            """
            SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME FROM information_schema.TRIGGERS \
            WHERE TRIGGER_SCHEMA = \(SQL.quoteString(db)) ORDER BY EVENT_OBJECT_TABLE
            """
        ).rows.filter { ($0[1].string ?? "").hasPrefix(Snapshot.captureTriggerPrefix(label: label)) }
            .compactMap { $0[0].string }
    }
}
