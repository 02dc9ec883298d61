import Foundation
import MetaDB
import SandboxSupport
import Testing

@testable import MetaDump
@testable import OnlineCopy

/// A write whose statement ran before the capture triggers existed, and whose transaction commits
/// after the online copy began, still reaches the snapshot.
@Suite(.integration, .tags(.mariadb)) struct CaptureOpenTransactionTests {
    @Test(
        "a delete open when the capture begins and committed during the copy is in the caught-up snapshot",
        arguments: MetadataServer.allCases)
    func deleteOpenAcrossTheCaptureReachesTheSnapshot(_ server: MetadataServer) async throws {
        try await TestServer.withDatabase("md_open", server: server) { q in
            [
                "CREATE TABLE \(q).t (id int NOT NULL PRIMARY KEY, v varchar(10))",
                "INSERT INTO \(q).t VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')",
            ]
        } test: { db, q in
            let writer = try TestServer.connect(server: server)
            defer { writer.close() }
            try writer.execute("START TRANSACTION")
            try writer.execute("DELETE FROM \(q).t WHERE id = 3")

            let snapshot = Snapshot(server: try TestServer.options(server))
            let copy = Task { try await snapshot.copyOnline(databases: [db], label: "open") }
            try await Task.sleep(for: .seconds(2))
            try writer.execute("COMMIT")
            _ = try await copy.value
            _ = try await snapshot.stopCapture(databases: [db], label: "open")
            _ = try await snapshot.catchUp(databases: [db], label: "open")
            try await snapshot.finishCapture(databases: [db], label: "open")

            let snap = try DatabaseNames.snapshot(db, label: "open")
            let reader = try TestServer.connect(server: server)
            defer { reader.close() }
            let ids = try reader.query("SELECT id FROM \(SQL.qualified(snap, "t")) ORDER BY id").rows.compactMap {
                $0[0].string
            }
            #expect(ids == ["1", "2", "4"], "the committed delete of id 3 is in the snapshot")
        }
    }
}
