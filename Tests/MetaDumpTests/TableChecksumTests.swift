import Foundation
import MetaDB
import MetaDump
import SandboxSupport
import Testing

/// The server-side checksum notices the changes that matter and ignores row order.
@Suite(.integration, .tags(.mariadb)) struct TableChecksumTests {
    @Test func seesNullsEmptiesAndMovedValuesButNotRowOrder() async throws {
        let db = Sandbox.uniqueName("md_sum")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try TestServer.run(["CREATE DATABASE `\(db)`"])
        try TestServer.run(
            [
                "CREATE TABLE t (id int PRIMARY KEY, a varchar(10) NULL, b varchar(10) NULL, n int NULL, d datetime NULL, x blob NULL, j bit(8) NULL)",
                "INSERT INTO t VALUES (1, 'p', 'q', 1, '2024-01-01 00:00:00', 0x00, b'01001110'), (2, NULL, '', NULL, NULL, NULL, NULL)",
            ], database: db)
        let server = try TestServer.options()
        func sum() async throws -> TableChecksum {
            try await DatabaseChecksums.compute(server: server, database: db)["t"]!
        }
        let base = try await sum()
        let changes = [
            "UPDATE t SET a = '' WHERE id = 2",  // NULL -> ''
            "UPDATE t SET b = NULL WHERE id = 2",  // '' -> NULL
            "UPDATE t SET n = 0 WHERE id = 2",  // NULL -> 0
            "UPDATE t SET x = '' WHERE id = 2",  // NULL -> empty blob
            "UPDATE t SET j = b'01001110' WHERE id = 2",  // NULL -> the bits of 'N'
            "UPDATE t SET a = 'q', b = 'p' WHERE id = 1",  // values swapped between columns
            "UPDATE t SET d = '2024-01-01 00:00:01' WHERE id = 1",
        ]
        for change in changes {
            try TestServer.run([change], database: db)
            let changed = try await sum()
            #expect(changed != base, "\(change)")
            // Undo by restoring the original rows.
            try TestServer.run(
                [
                    "DELETE FROM t",
                    "INSERT INTO t VALUES (1, 'p', 'q', 1, '2024-01-01 00:00:00', 0x00, b'01001110'), (2, NULL, '', NULL, NULL, NULL, NULL)",
                ], database: db)
        }
        // The same rows inserted in the other order give the same sums.
        try TestServer.run(
            [
                "DELETE FROM t",
                "INSERT INTO t VALUES (2, NULL, '', NULL, NULL, NULL, NULL)",
                "INSERT INTO t VALUES (1, 'p', 'q', 1, '2024-01-01 00:00:00', 0x00, b'01001110')",
            ], database: db)
        #expect(try await sum() == base)
    }

    /// Leaving out `CAST(… AS BINARY)` when every character column has one collation changes no value.
    @Test func theCastFreeFormGivesTheSameSums() async throws {
        let db = Sandbox.uniqueName("md_sum_cast")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try TestServer.run(["CREATE DATABASE `\(db)`"])
        try TestServer.run(
            [
                "CREATE TABLE t (id int PRIMARY KEY, a varchar(10) NOT NULL, b text NULL, e enum('x','ü') NULL) DEFAULT CHARSET=utf8mb4",
                "INSERT INTO t VALUES (1, 'ä€😀', NULL, 'ü'), (2, '', 'b', NULL), (3, '#', '#', 'x')",
            ], database: db)
        let sums = try await DatabaseChecksums.compute(server: try TestServer.options(), database: db)["t"]!
        let row = "CONCAT_WS('#', id, CAST(a AS BINARY), ISNULL(b), CAST(b AS BINARY), ISNULL(e), CAST(e AS BINARY))"
        let connection = try TestServer.connect(database: db)
        defer { connection.close() }
        let manual = try connection.query(
            "SELECT COUNT(*), SUM(CRC32(\(row))), SUM(CRC32(REVERSE(CAST(\(row) AS BINARY)))) FROM t"
        ).rows[0]
        #expect(
            TableChecksum(rowCount: manual[0].int64!, crc32Sum: manual[1].string!, reversedCRC32Sum: manual[2].string!)
                == sums)
    }
}
