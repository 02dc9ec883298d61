import Foundation
import MetaDB
import SandboxSupport
import Testing

private struct Stop: Error {}

@Suite("Connection: statements, results and session state", .integration, .tags(.mariadb))
struct ConnectionTests {
    @Test("server version and connection id come from the server")
    func identity() throws {
        try TestDatabase.withDatabase { db, name throws in
            #expect(!db.serverVersion.isEmpty)
            #expect(try db.scalar("SELECT VERSION()").string == db.serverVersion)
            #expect(try db.scalar("SELECT CONNECTION_ID()").uint64 == db.connectionID)
            #expect(try db.scalar("SELECT DATABASE()").string == name)
            #expect(try db.scalar("SELECT @@character_set_client").string == "utf8mb4")
            #expect(try db.scalar("SELECT @@character_set_results").string == "utf8mb4")
            #expect(db.ping())
        }
    }

    @Test("execute returns affected rows, last insert id and warnings")
    func execute() throws {
        try TestDatabase.withDatabase { db, _ in
            let create = try db.execute(
                "CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10), n TINYINT)")
            #expect(create.affectedRows == 0)
            let first = try db.execute("INSERT INTO t (v) VALUES ('a')")
            #expect(first.affectedRows == 1)
            #expect(first.lastInsertID == 1)
            let batch = try db.execute("INSERT INTO t (v) VALUES ('b'), ('c'), ('d')")
            #expect(batch.affectedRows == 3)
            #expect(batch.lastInsertID == 2)  // the first id of the batch, as LAST_INSERT_ID()
            let update = try db.execute("UPDATE t SET v = 'x' WHERE id IN (1, 2) OR v = 'x'")
            #expect(update.affectedRows == 2)
            let unchanged = try db.execute("UPDATE t SET v = 'x' WHERE id = 1")
            #expect(unchanged.affectedRows == 0)  // changed rows, not matched rows
            let ignored = try db.execute("INSERT IGNORE INTO t (v, n) VALUES ('w', 300)")
            #expect(ignored.warningCount == 1)
            let delete = try db.execute("DELETE FROM t WHERE id > 2")
            #expect(delete.affectedRows == 3)
            let explicitID = try db.execute("INSERT INTO t (id, v) VALUES (100, 'e')")
            #expect(explicitID.lastInsertID == 100)
        }
    }

    @Test("execute on a statement that returns rows discards them; the connection stays usable")
    func executeDiscardsRows() throws {
        try TestDatabase.withDatabase { db, _ in
            let result = try db.execute("SELECT seq FROM seq_1_to_10000")
            #expect(result.affectedRows == 0)
            #expect(try db.scalar("SELECT 42").int64 == 42)
        }
    }

    @Test("query returns columns and rows; statements without results give an empty set")
    func query() throws {
        try TestDatabase.withDatabase { db, _ in
            let empty = try db.query("CREATE TABLE t (id INT PRIMARY KEY, Name VARCHAR(10))")
            #expect(empty.columns.isEmpty && empty.rows.isEmpty)
            try db.execute("INSERT INTO t VALUES (1, 'one'), (2, NULL), (3, '')")
            let result = try db.query("SELECT id, Name FROM t ORDER BY id")
            #expect(result.columns.map(\.name) == ["id", "Name"])
            #expect(result.count == 3)
            #expect(result.rows[0]["Name"]?.string == "one")
            #expect(result.rows[0]["name"]?.string == "one")  // case-insensitive like MySQL
            #expect(result.rows[0]["missing"] == nil)
            #expect(result.rows[1]["Name"] == .null)
            #expect(result.rows[2]["Name"] == .bytes([]))
            #expect(result.map { $0[0].int64! } == [1, 2, 3])
            #expect(try db.query("SELECT * FROM t WHERE id > 99").isEmpty)
        }
    }

    @Test("scalar gives the first column of the first row, or NULL when there are no rows")
    func scalar() throws {
        try TestDatabase.withDatabase { db, _ throws in
            #expect(try db.scalar("SELECT 1, 2").int64 == 1)
            #expect(try db.scalar("SELECT NULL") == .null)
            #expect(try db.scalar("SELECT 1 FROM DUAL WHERE FALSE") == .null)
            #expect(try db.scalar("SELECT seq FROM seq_1_to_100000").int64 == 1)
            #expect(try db.scalar("SELECT 'still usable'").string == "still usable")
        }
    }

    @Test("a syntax error is 1064 with the statement; the connection stays usable")
    func syntaxError() throws {
        try TestDatabase.withDatabase { db, _ in
            let error = try #require(throws: MetaDBError.self) { try db.query("SELEC 1 FRM nowhere") }
            #expect(error.code == 1064)
            #expect(error.sqlState == "42000")
            #expect(error.kind == .query)
            #expect(error.statement == "SELEC 1 FRM nowhere")
            #expect(error.description.contains("MySQL error 1064 (42000)"))
            #expect(error.description.contains("SELEC 1 FRM nowhere"))
            #expect(!error.description.contains(try TestDatabase.password()))
            #expect(try db.scalar("SELECT 1").int64 == 1)
            let missing = try #require(throws: MetaDBError.self) { try db.execute("DELETE FROM no_such_table") }
            #expect(missing.code == 1146)
            let duplicate = try #require(throws: MetaDBError.self) {
                try db.execute("CREATE TABLE d (id INT PRIMARY KEY)")
                try db.execute("INSERT INTO d VALUES (1), (1)")
            }
            #expect(duplicate.code == 1062)
        }
    }

    @Test("errors while streaming and when the body throws leave the connection usable")
    func streamingErrors() throws {
        try TestDatabase.withDatabase { db, _ in
            var seen = 0
            #expect(throws: Stop.self) {
                try db.stream("SELECT seq FROM seq_1_to_100000") { row in
                    seen += 1
                    if row[0].int64 == 10 { throw Stop() }
                }
            }
            #expect(seen == 10)
            #expect(try db.scalar("SELECT 'after stream'").string == "after stream")
            #expect(throws: Stop.self) {
                try db.streamRaw("SELECT seq, REPEAT('x', 100) FROM seq_1_to_100000") { _, _ in throw Stop() }
            }
            #expect(try db.scalar("SELECT 'after raw'").string == "after raw")
            let error = try #require(throws: MetaDBError.self) { try db.stream("SELECT * FROM missing_table") { _ in } }
            #expect(error.code == 1146)
            // A statement without a result set streams nothing.
            var calls = 0
            try db.stream("DO 1") { _ in calls += 1 }
            #expect(calls == 0)
            // An error the server raises mid-result reaches the caller.
            var before = 0
            let midway = try #require(throws: MetaDBError.self) {
                try db.stream("SELECT IF(seq < 5000, seq, (SELECT seq FROM seq_1_to_2)) FROM seq_1_to_10000") { _ in
                    before += 1
                }
            }
            #expect(midway.code == 1242)
            #expect(before > 0)
            #expect(try db.scalar("SELECT 'after server error'").string == "after server error")
        }
    }

    @Test("raw rows expose NULL, empty and binary values without copying")
    func rawRows() throws {
        try TestDatabase.withDatabase { db, _ in
            var checked = false
            try db.streamRaw("SELECT NULL, '', X'00FF00', 'txt'") { columns, row in
                #expect(columns.count == 4)
                #expect(row.count == 4)
                #expect(row[0] == nil)
                #expect(row.isNull(0))
                #expect(row[1]?.count == 0)
                #expect(row.bytes(at: 2) == [0, 255, 0])
                #expect(row.string(at: 3) == "txt")
                #expect(row.string(at: 2) == nil)  // not UTF-8
                #expect(row.value(at: 0) == .null)
                checked = true
            }
            #expect(checked)
        }
    }

    @Test("results of a stored procedure CALL are read fully; the connection stays usable")
    func storedProcedure() throws {
        try TestDatabase.withDatabase { db, _ in
            try db.execute("CREATE PROCEDURE two_results() BEGIN SELECT 1 AS a; SELECT 2 AS b; END")
            let result = try db.query("CALL two_results()")
            #expect(result.first?["a"]?.int64 == 1)
            #expect(try db.scalar("SELECT 3").int64 == 3)
            try db.execute("CALL two_results()")
            #expect(try db.scalar("SELECT 4").int64 == 4)
        }
    }

    @Test("an error in a later result of a CALL is reported; the connection stays usable")
    func errorInLaterResult() throws {
        try TestDatabase.withDatabase { db, _ in
            try db.execute(
                """
                CREATE PROCEDURE fails_late() BEGIN SELECT 1 AS a; SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'late failure'; END
                """)
            let buffered = try #require(throws: MetaDBError.self) { try db.query("CALL fails_late()") }
            #expect(buffered.code == 1644)
            #expect(buffered.message == "late failure")
            #expect(try db.scalar("SELECT 5").int64 == 5)
            let executed = try #require(throws: MetaDBError.self) { try db.execute("CALL fails_late()") }
            #expect(executed.code == 1644)
            #expect(try db.scalar("SELECT 6").int64 == 6)
            var rows = 0
            let streamed = try #require(throws: MetaDBError.self) {
                try db.stream("CALL fails_late()") { _ in rows += 1 }
            }
            #expect(streamed.code == 1644)
            #expect(rows == 1)
            #expect(try db.scalar("SELECT 7").int64 == 7)
        }
    }

    @Test("a statement sent while a stream is open is refused with a usage error; the stream goes on")
    func statementDuringStream() throws {
        try TestDatabase.withDatabase { db, _ in
            var rows = 0
            var refusals = 0
            try db.stream("SELECT seq FROM seq_1_to_100") { _ in
                rows += 1
                if rows == 50 {
                    let error = try #require(throws: MetaDBError.self) { try db.execute("DO 1") }
                    #expect(error.kind == .usage)
                    #expect(error.description.contains("second connection"))
                    refusals += 1
                }
            }
            #expect(rows == 100)
            #expect(refusals == 1)
            #expect(try db.scalar("SELECT 8").int64 == 8)
        }
    }

    @Test("multiple statements in one call are refused")
    func noMultiStatements() throws {
        try TestDatabase.withDatabase { db, _ in
            let error = try #require(throws: MetaDBError.self) { try db.execute("DO 1; DO 2") }
            #expect(error.code == 1064)
        }
    }

    @Test("close is idempotent; a closed connection reports .closed")
    func closing() throws {
        let db = try Connection(options: TestDatabase.options())
        db.close()
        db.close()
        #expect(db.isClosed)
        #expect(!db.ping())
        let error = try #require(throws: MetaDBError.self) { try db.query("SELECT 1") }
        #expect(error.kind == .closed)
        #expect(error.description.contains(db.options.endpoint))
    }

    @Test("a killed session reports a lost connection and does not reconnect")
    func killedSession() throws {
        let victim = try Connection(options: TestDatabase.options())
        let killer = try Connection(options: TestDatabase.options())
        try killer.execute("KILL \(victim.connectionID)")
        let error = try #require(throws: MetaDBError.self) { try victim.query("SELECT 1") }
        #expect([2006, 2013, 4031, 1927].contains(error.code), "\(error)")
        #expect(!victim.ping())
        killer.close()
    }
}
