import Foundation
import MetaDB
import MetaDump
import SandboxSupport
import Testing

/// Pruning the heartbeat table at 1M rows, seeded server-side with MariaDB's sequence engine.
///
/// A real server restart cannot be tested on the shared sandbox server; the
/// tests use `ALTER TABLE … ENGINE=InnoDB` (a table rebuild) instead, and the
/// swap keeps the highest row so that servers which recompute AUTO_INCREMENT
/// from MAX(id) at restart continue above it too.
@Suite(.serialized, .integration, .tags(.mariadb)) struct HeartbeatPrunerTests {
    static let rows = 1_000_000

    /// Creates `<db>`.heatbeat_sequence with ids 1...rows.
    func seed(_ db: String, rows: Int = Self.rows) throws {
        try TestServer.run([
            "CREATE DATABASE `\(db)`",
            """
            CREATE TABLE `\(db)`.heatbeat_sequence (id bigint NOT NULL AUTO_INCREMENT, gmt_created datetime DEFAULT NULL,
              gmt_modified datetime DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8
            """,
        ])
        // The sequence engine's seq_1_to_N tables resolve in the default database.
        try TestServer.run(
            [
                "INSERT INTO heatbeat_sequence (id, gmt_created, gmt_modified) SELECT seq, NOW(), NOW() FROM seq_1_to_\(rows)"
            ],
            database: db)
    }

    /// Inserts one row with a generated id and returns the id.
    func insertNext(_ db: String) throws -> Int64 {
        let connection = try TestServer.connect(database: db)
        defer { connection.close() }
        return Int64(
            try connection.execute("INSERT INTO heatbeat_sequence (gmt_created, gmt_modified) VALUES (NOW(), NOW())")
                .lastInsertID)
    }

    @Test(arguments: [PruneStrategy.swap, .batched])
    func keepsTheHighestRowAndContinuesAboveIt(strategy: PruneStrategy) async throws {
        let db = Sandbox.uniqueName("md_prune")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try seed(db)
        let result = try await HeartbeatPruner(server: try TestServer.options(), database: db).prune(strategy: strategy)
        #expect(result.strategy == strategy)
        #expect(result.rowsBefore == Int64(Self.rows))
        #expect(result.rowsAfter == 1)
        #expect(result.rowsDeleted == Int64(Self.rows) - 1)
        #expect(result.keptID == Int64(Self.rows))
        #expect(result.nextAutoIncrement == Int64(Self.rows) + 1)
        let connection = try TestServer.connect(database: db)
        defer { connection.close() }
        #expect(try connection.scalar("SELECT GROUP_CONCAT(id) FROM heatbeat_sequence").string == "\(Self.rows)")
        #expect(try insertNext(db) == Int64(Self.rows) + 1)
        // A table rebuild stands in for a restart: ids go on above the old maximum.
        try connection.execute("ALTER TABLE heatbeat_sequence ENGINE=InnoDB")
        #expect(try insertNext(db) == Int64(Self.rows) + 2)
        #expect(
            try connection.scalar("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '\(db)'").int64
                == 1)
    }

    @Test func swapCarriesAnAutoIncrementAboveTheMaximum() async throws {
        let db = Sandbox.uniqueName("md_prune_gap")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try seed(db, rows: 10_000)
        try TestServer.run(["DELETE FROM `\(db)`.heatbeat_sequence WHERE id > 9000"])
        let result = try await HeartbeatPruner(server: try TestServer.options(), database: db).prune()
        #expect(result.keptID == 9000)
        #expect(result.nextAutoIncrement == 10_001)
        #expect(try insertNext(db) == 10_001)
    }

    @Test func swapIsReentrantAfterAnInterruptedRun() async throws {
        let db = Sandbox.uniqueName("md_prune_re")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try seed(db, rows: 5_000)
        // Leftovers of a run killed after RENAME (old table) and of one killed before it (new table).
        try TestServer.run([
            "CREATE TABLE `\(db)`.heatbeat_sequence__prune_old LIKE `\(db)`.heatbeat_sequence",
            "CREATE TABLE `\(db)`.heatbeat_sequence__prune_new LIKE `\(db)`.heatbeat_sequence",
        ])
        let server = try TestServer.options()
        let first = try await HeartbeatPruner(server: server, database: db).prune()
        let second = try await HeartbeatPruner(server: server, database: db).prune()
        #expect(first.rowsAfter == 1 && second.rowsAfter == 1)
        #expect(second.keptID == 5_000 && second.nextAutoIncrement == 5_001)
        let connection = try TestServer.connect(database: db)
        defer { connection.close() }
        #expect(
            try connection.scalar("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '\(db)'").int64
                == 1)
    }

    @Test func refusedSwapFallsBackOnlyWhenAsked() async throws {
        let db = Sandbox.uniqueName("md_prune_priv")
        let user = Sandbox.uniqueName("md_user")
        defer {
            try? TestServer.run(["DROP USER IF EXISTS '\(user)'@'%'", "DROP USER IF EXISTS '\(user)'@'127.0.0.1'"])
            TestServer.dropDatabases(startingWith: [db])
        }
        try seed(db, rows: 50_000)
        let password = "p'w\"#\\x" + user
        try TestServer.run([
            "CREATE USER '\(user)'@'127.0.0.1' IDENTIFIED BY \(SQL.quoteString(password))",
            "GRANT SELECT, INSERT, DELETE ON `\(db)`.* TO '\(user)'@'127.0.0.1'",
        ])
        var limited = try TestServer.options()
        limited.user = user
        limited.password = Secret(password)
        let pruner = HeartbeatPruner(server: limited, database: db)
        await #expect {
            _ = try await pruner.prune(strategy: .swap)
        } throws: { error in
            guard let error = error as? MetaDumpError else { return false }
            return error.kind == .refused && error.description.contains("--strategy batched")
                && !error.description.contains(password)
        }
        let result = try await pruner.prune(strategy: .swap, allowFallback: true)
        #expect(result.fellBackFrom == .swap)
        #expect(result.strategy == .batched)
        #expect(result.rowsAfter == 1 && result.keptID == 50_000)
    }

    @Test func onlinePrePruneLeavesNewRowsAlone() async throws {
        let db = Sandbox.uniqueName("md_prune_online")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try seed(db, rows: 200_000)
        let server = try TestServer.options()
        // OMS keeps writing heartbeats meanwhile.
        let writer = Task.detached {
            let connection = try TestServer.connect(database: db)
            defer { connection.close() }
            for _ in 0..<200 {
                try connection.execute(
                    "INSERT INTO heatbeat_sequence (gmt_created, gmt_modified) VALUES (NOW(), NOW())")
            }
        }
        var pruner = HeartbeatPruner(server: server, database: db)
        pruner.batchSize = 10_000
        let result = try await pruner.prePruneOnline(upTo: 200_000, throttle: .milliseconds(1))
        try await writer.value
        #expect(result.strategy == .online)
        let connection = try TestServer.connect(database: db)
        defer { connection.close() }
        #expect(try connection.scalar("SELECT MIN(id) FROM heatbeat_sequence").int64 == 200_000)
        #expect(try connection.scalar("SELECT COUNT(*) FROM heatbeat_sequence").int64 == 201)
    }

    @Test("a cancelled online pre-prune stops before its next batch: CancellationError; the rest and the top row stay")
    func cancelledOnlinePrePruneStopsBetweenBatches() async throws {
        let db = Sandbox.uniqueName("md_prune_stop")
        defer { TestServer.dropDatabases(startingWith: [db]) }
        try seed(db, rows: 200_000)
        var pruner = HeartbeatPruner(server: try TestServer.options(), database: db)
        // 200 throttled batches: tens of seconds unless the cancellation stops them.
        pruner.batchSize = 1_000
        let running = Task { [pruner] in try await pruner.prePruneOnline(throttle: .milliseconds(100)) }
        let connection = try TestServer.connect(database: db)
        defer { connection.close() }
        func minimumID() throws -> Int64 { try connection.scalar("SELECT MIN(id) FROM heatbeat_sequence").int64 ?? 0 }
        var polls = 0
        while try minimumID() == 1, polls < 600 {
            try await Task.sleep(for: .milliseconds(50))
            polls += 1
        }
        running.cancel()
        let outcome = await running.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        let left = try connection.scalar("SELECT COUNT(*) FROM heatbeat_sequence").int64 ?? 0
        #expect(try minimumID() > 1, "the first batch was deleted before the cancellation")
        #expect(left > 100_000, "the cancelled prune went on deleting: \(left) rows left")
        #expect(try connection.scalar("SELECT MAX(id) FROM heatbeat_sequence").int64 == 200_000)
    }
}
