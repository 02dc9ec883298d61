import BlockingWork
import Foundation
import MetaDB
import TerminalProgress

/// How the heartbeat table is pruned.
public enum PruneStrategy: String, Sendable, CaseIterable, Codable {
    /// New table with the kept row, one atomic `RENAME TABLE`, drop the old one: time independent of the row count.
    case swap
    /// Bounded `DELETE … WHERE id >= ? AND id < ?` by primary-key ranges below the maximum, each its own transaction.
    case batched
    /// Batched deletes below the maximum seen at the start, while OMS keeps inserting (before it stops).
    case online
}

/// What a prune did.
public struct PruneResult: Sendable {
    /// The database and table pruned.
    public var database: String
    public var table: String
    /// The strategy that did the work.
    public var strategy: PruneStrategy
    /// The strategy asked for, when it was refused and another did the work.
    public var fellBackFrom: PruneStrategy?
    /// Why the asked-for strategy was refused, if it was.
    public var refusal: String?
    /// Rows before and after.
    public var rowsBefore: Int64
    /// Whether `rowsBefore` (and so `rowsDeleted`) is the id range `max - min + 1` rather than a count:
    /// the swap does not scan the table unless ``HeartbeatPruner/exactCounts`` is set.
    public var rowsBeforeIsEstimate: Bool
    public var rowsAfter: Int64
    /// Rows removed.
    public var rowsDeleted: Int64
    /// The id kept (the highest), or nil for an empty table.
    public var keptID: Int64?
    /// The smallest id before pruning.
    public var minimumIDBefore: Int64?
    /// The table's AUTO_INCREMENT afterwards: the next id it will hand out.
    public var nextAutoIncrement: Int64?
    /// Wall-clock time, in seconds.
    public var durationSeconds: Double
    /// The online prune's bound: every row below it was deleted (OMS's new beats get higher ids).
    public var prunedBelow: Int64? = nil
}

/// Prunes the CM heartbeat table (`heatbeat_sequence`, sic) down to its newest row, as the upgrade guide asks.
///
/// The row with the highest id is kept, and the next id continues above it,
/// also after a server restart: servers before MariaDB 10.2.4 and MySQL 8
/// recompute AUTO_INCREMENT from `MAX(id)` at restart, which is why the
/// maximum row stays. Unlike the guide it never runs
/// `DELETE … WHERE id < (SELECT MAX(id) FROM same_table)` (MySQL error 1093)
/// nor one unbounded DELETE (slow on InnoDB; beyond OceanBase's query and
/// transaction timeouts).
///
/// ``prune(strategy:allowFallback:)`` is for a stopped OMS;
/// ``prePruneOnline(upTo:throttle:)`` may run while OMS still inserts, to cut
/// the work left for the downtime.
public struct HeartbeatPruner: Sendable {
    /// The guide's table name (sic).
    public static let defaultTable = "heatbeat_sequence"

    /// The server (its `database` field is ignored).
    public var server: ConnectionOptions
    /// The CM heartbeat database.
    public var database: String
    /// The table, `heatbeat_sequence` by default.
    public var table: String
    /// Where progress goes.
    public var progress: ProgressReporter
    /// Ids per DELETE in the batched strategies (each DELETE removes at most this many rows).
    public var batchSize: Int64 = 20_000
    /// Whether the swap counts the rows before (`COUNT(*)`, one scan of the table, 0.5 s per 10M rows);
    /// otherwise the result reports the id range. The batched strategies always count exactly.
    public var exactCounts: Bool = false

    /// Creates a pruner for `database`.`table`.
    public init(
        server: ConnectionOptions, database: String, table: String = HeartbeatPruner.defaultTable,
        progress: ProgressReporter = .silent
    ) {
        self.server = server
        self.database = database
        self.table = table
        self.progress = progress
    }

    /// Keeps only the highest-id row of a table that nobody writes to (OMS stopped).
    ///
    /// With `.swap`, a refusal by the server (missing CREATE/DROP privilege, no
    /// multi-table RENAME) throws a ``MetaDumpError`` of kind `.refused` naming
    /// the reason, unless `allowFallback` is set: then the batched strategy does
    /// the work and the result says so.
    ///
    /// A cancelled task (a signal) stops the batched deletes before their next batch, with
    /// `CancellationError`; the deleted batches stay deleted, the highest row stays.
    public func prune(strategy: PruneStrategy = .swap, allowFallback: Bool = false) async throws -> PruneResult {
        let pruner = self
        return try await Self.stoppable { stop in
            try pruner.pruneBlocking(strategy: strategy, allowFallback: allowFallback, stop: stop)
        }
    }

    /// Deletes, in bounded batches, every row with an id below `upTo` (default: the maximum id now).
    ///
    /// Safe while OMS keeps inserting: new rows get ids above the bound and are
    /// never touched. `throttle` pauses between batches to spare the server. A cancelled task
    /// stops before the next batch, with `CancellationError`.
    public func prePruneOnline(upTo: Int64? = nil, throttle: Duration = .zero) async throws -> PruneResult {
        let pruner = self
        return try await Self.stoppable { stop in
            try pruner.onlineBlocking(upTo: upTo, throttle: throttle, stop: stop)
        }
    }

    /// Runs `body` on the blocking pool with a flag that task cancellation sets; whatever
    /// `body` throws once the flag is set becomes `CancellationError`.
    private static func stoppable(
        _ body: @escaping @Sendable (StopFlag) throws -> PruneResult
    ) async throws -> PruneResult {
        let stop = StopFlag()
        let stopBatches: @Sendable () -> Void = { stop.set() }
        do {
            return try await BlockingPool.shared.run(onCancel: stopBatches) { try body(stop) }
        } catch {
            if stop.isSet { throw CancellationError() }
            throw error
        }
    }

    // MARK: - Blocking work

    private var name: String { "`\(database)`.`\(table)`" }
    private var qualified: String { SQL.qualified(database, table) }

    private func open() throws -> Connection {
        try withContext("Connecting to prune \(name)", database: database, table: table) {
            let connection = try Session.open(server)
            try connection.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'")
            Session.limitLockWait(connection)
            return connection
        }
    }

    private struct Bounds {
        var key: String
        var min: Int64?
        var max: Int64?
        var rows: Int64
        var estimated: Bool
    }

    /// Minimum and maximum id, and the row count (exact when `exact` or when the id range is small).
    private func bounds(_ connection: Connection, exact: Bool) throws -> Bounds {
        try withContext("Reading the id range of \(name)", database: database, table: table) {
            let catalog = try SchemaCatalog.read(connection, database: database)
            guard let info = catalog.table(table) else {
                throw MetaDumpError(
                    .invalidArgument, action: "Pruning \(name)", reason: "the table does not exist",
                    database: database, table: table,
                    remedy: "Check drc_cm_heartbeat_db in config.yaml; the table is named heatbeat_sequence (sic).")
            }
            guard let key = info.integerKey else {
                throw MetaDumpError(
                    .unsupported, action: "Pruning \(name)",
                    reason: "it has no single integer primary key", database: database, table: table)
            }
            let k = SQL.quoteIdentifier(key.name)
            let row = try connection.strings("SELECT MIN(\(k)), MAX(\(k)) FROM \(qualified)").first ?? [nil, nil]
            let low = row[0].flatMap { Int64($0) }
            let high = row[1].flatMap { Int64($0) }
            var rows: Int64 = 0
            var estimated = false
            if let low, let high {
                if exact || high - low < 100_000 {
                    rows = try connection.int64("SELECT COUNT(*) FROM \(qualified)") ?? 0
                } else {
                    rows = high - low + 1
                    estimated = true
                }
            }
            return Bounds(key: key.name, min: low, max: high, rows: rows, estimated: estimated)
        }
    }

    /// The next AUTO_INCREMENT value: from SHOW CREATE TABLE (information_schema may be cached on MySQL 8,
    /// and is NULL on the OceanBase kernel).
    private func nextAutoIncrement(_ connection: Connection, table: String) throws -> Int64? {
        let create = try connection.showCreateTable(database, table)
        if let value = Self.autoIncrementOption(create) { return value }
        return try connection.int64(
            """
            SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SQL.quoteString(database)) \
            AND TABLE_NAME = \(SQL.quoteString(table))
            """)
    }

    /// The `AUTO_INCREMENT` table option of a `SHOW CREATE TABLE` text: MariaDB writes ` AUTO_INCREMENT=n`,
    /// the OceanBase kernel ` AUTO_INCREMENT = n`; nil when the text has neither.
    static func autoIncrementOption(_ create: String) -> Int64? {
        // The table options follow the column list; a column's own AUTO_INCREMENT attribute is not followed by "=".
        for key in [" AUTO_INCREMENT=", " AUTO_INCREMENT = "] {
            if let range = create.range(of: key, options: .backwards) {
                return Int64(create[range.upperBound...].prefix { $0.isNumber })
            }
        }
        return nil
    }

    private func pruneBlocking(strategy: PruneStrategy, allowFallback: Bool, stop: StopFlag) throws -> PruneResult {
        let started = Date()
        let connection = try open()
        defer { connection.close() }
        let before = try bounds(connection, exact: exactCounts)
        var result = PruneResult(
            database: database, table: table, strategy: strategy, fellBackFrom: nil, refusal: nil,
            rowsBefore: before.rows, rowsBeforeIsEstimate: before.estimated, rowsAfter: before.rows, rowsDeleted: 0,
            keptID: before.max,
            minimumIDBefore: before.min, nextAutoIncrement: nil, durationSeconds: 0)
        switch strategy {
        case .swap:
            do {
                try swap(connection, before: before)
            } catch let error as SwapRefusal where !allowFallback {
                throw MetaDumpError(
                    .refused, action: "Pruning \(name) by swapping in a new table",
                    reason: "the server refused: \(error.message)", database: database, table: table,
                    remedy:
                        "Nothing was deleted. Grant CREATE and DROP on the database, or choose the batched strategy (--strategy batched).",
                    underlying: error.error
                )
            } catch let error as SwapRefusal {
                progress.message("Swapping \(name) was refused (\(error.message)); deleting in batches instead")
                result.fellBackFrom = .swap
                result.refusal = error.message
                result.strategy = .batched
                result.rowsDeleted = try deleteBelow(
                    connection, bounds: before, upTo: before.max, throttle: .zero, stop: stop,
                    title: "prune \(database).\(table)")
            } catch {
                throw MetaDumpError.wrap(
                    error, action: "Pruning \(name) by swapping in a new table", database: database, table: table)
            }
        case .batched, .online:
            result.rowsDeleted = try deleteBelow(
                connection, bounds: before, upTo: before.max, throttle: .zero, stop: stop,
                title: "prune \(database).\(table)")
        }
        let after = try bounds(connection, exact: true)
        result.rowsAfter = after.rows
        if result.strategy == .swap {
            result.rowsDeleted = max(0, before.rows - after.rows)
        } else {
            // Deleted rows were counted one by one: the count before is exact.
            result.rowsBefore = result.rowsDeleted + after.rows
            result.rowsBeforeIsEstimate = false
        }
        result.nextAutoIncrement = try withContext(
            "Reading AUTO_INCREMENT of \(name)", database: database, table: table
        ) {
            try nextAutoIncrement(connection, table: table)
        }
        result.durationSeconds = Date().timeIntervalSince(started)
        return result
    }

    /// The batched delete saw the stop flag.
    private struct StoppedBetweenBatches: Error {}

    private struct SwapRefusal: Error {
        /// The server's refusal.
        var error: MetaDBError
        var message: String { error.message }
    }

    /// New table with the kept row and the old AUTO_INCREMENT, then one atomic RENAME; re-entrant after a crash.
    ///
    /// A privilege or syntax error before the RENAME (nothing changed yet) is a ``SwapRefusal``.
    private func swap(_ connection: Connection, before: Bounds) throws {
        let fresh = SQL.qualified(database, table + "__prune_new")
        let trash = SQL.qualified(database, table + "__prune_old")
        guard let maxID = before.max else { return }
        let k = SQL.quoteIdentifier(before.key)
        let catalog = try SchemaCatalog.read(connection, database: database)
        let columns = (catalog.table(table)?.storedColumns ?? []).map { SQL.quoteIdentifier($0.name) }.joined(
            separator: ", ")
        do {
            // Leftovers of an interrupted run: a half-built new table, or the old table after the RENAME.
            try connection.execute("DROP TABLE IF EXISTS \(fresh)")
            try connection.execute("DROP TABLE IF EXISTS \(trash)")
            let next = max(try nextAutoIncrement(connection, table: table) ?? (maxID + 1), maxID + 1)
            try connection.execute("CREATE TABLE \(fresh) LIKE \(qualified)")
            try connection.execute(
                "INSERT INTO \(fresh) (\(columns)) SELECT \(columns) FROM \(qualified) WHERE \(k) = \(maxID)")
            try connection.execute("ALTER TABLE \(fresh) AUTO_INCREMENT = \(next)")
            try connection.execute("RENAME TABLE \(qualified) TO \(trash), \(fresh) TO \(qualified)")
        } catch let error as MetaDBError where [1044, 1142, 1227, 1064, 1235, 1290].contains(error.code) {
            _ = try? connection.execute("DROP TABLE IF EXISTS \(fresh)")
            throw SwapRefusal(error: error)
        }
        // Rows that arrived after MAX(id) was read (OMS was not stopped after all) are kept, not dropped.
        let late = try connection.execute(
            "INSERT INTO \(qualified) (\(columns)) SELECT \(columns) FROM \(trash) WHERE \(k) > \(maxID)")
        if late.affectedRows > 0 {
            progress.message(
                "\(late.affectedRows) heartbeat rows arrived during the prune and were kept; is OMS still running?")
        }
        try connection.execute("DROP TABLE \(trash)")
    }

    /// Deletes ids from the minimum up to (not including) `upTo`, in ranges of ``batchSize`` ids, each autocommitted.
    /// Returns the number of rows deleted; stops before the next batch once `stop` is set.
    @discardableResult
    private func deleteBelow(
        _ connection: Connection, bounds: Bounds, upTo: Int64?, throttle: Duration, stop: StopFlag, title: String
    ) throws -> Int64 {
        guard let minID = bounds.min, let upTo, minID < upTo else { return 0 }
        let k = SQL.quoteIdentifier(bounds.key)
        let task = progress.task(title, total: max(0, min(bounds.rows, upTo - minID)), unit: .items)
        defer { task.finish() }
        var deleted: Int64 = 0
        try withContext("Deleting old rows of \(name) in batches", database: database, table: table) {
            try connection.execute("SET autocommit = 1")
            var low = minID
            while low < upTo {
                if stop.isSet { throw StoppedBetweenBatches() }
                let high = min(upTo, low + batchSize)
                let result = try connection.execute("DELETE FROM \(qualified) WHERE \(k) >= \(low) AND \(k) < \(high)")
                task.advance(by: Int64(result.affectedRows))
                deleted += Int64(result.affectedRows)
                if throttle > .zero {
                    Thread.sleep(
                        forTimeInterval: Double(throttle.components.seconds) + Double(throttle.components.attoseconds)
                            / 1e18)
                }
                // Skip gaps in the id sequence instead of walking them batch by batch.
                guard let next = try connection.int64("SELECT MIN(\(k)) FROM \(qualified) WHERE \(k) >= \(high)") else {
                    break
                }
                low = next
            }
        }
        return deleted
    }

    private func onlineBlocking(upTo: Int64?, throttle: Duration, stop: StopFlag) throws -> PruneResult {
        let started = Date()
        let connection = try open()
        defer { connection.close() }
        let before = try bounds(connection, exact: false)
        // Never past the highest row: it is the one the guide keeps.
        let limit = [upTo, before.max].compactMap { $0 }.min()
        let deleted = try deleteBelow(
            connection, bounds: before, upTo: limit, throttle: throttle, stop: stop,
            title: "pre-prune \(database).\(table)")
        let after = try bounds(connection, exact: true)
        // OMS may have inserted meanwhile: "before" is what was deleted plus what is there now.
        return PruneResult(
            database: database, table: table, strategy: .online, fellBackFrom: nil, refusal: nil,
            rowsBefore: deleted + after.rows, rowsBeforeIsEstimate: false, rowsAfter: after.rows,
            rowsDeleted: deleted,
            keptID: after.max, minimumIDBefore: before.min,
            nextAutoIncrement: try nextAutoIncrement(connection, table: table),
            durationSeconds: Date().timeIntervalSince(started), prunedBelow: limit)
    }

    /// Keeps only the highest-id row of a stopped OMS's table whose rows below `floor` an online
    /// prune already deleted, when at most `limit` rows remain from `floor` up; nil (nothing done)
    /// when more remain or the key is not one integer column.
    ///
    /// Reads no catalog and scans nothing below `floor`: `SHOW CREATE TABLE` for the key, one
    /// bounded count and maximum, one bounded DELETE. Where deleted rows linger in the storage (the
    /// OceanBase kernel keeps them until a compaction), a `MIN(id)` or `COUNT(*)` of the whole table
    /// walks every row the online prune deleted: that is what this avoids inside the outage.
    public func pruneTail(above floor: Int64, limit: Int64) async throws -> PruneResult? {
        let pruner = self
        return try await BlockingPool.shared.run { try pruner.tailBlocking(floor: floor, limit: limit) }
    }

    private func tailBlocking(floor: Int64, limit: Int64) throws -> PruneResult? {
        let started = Date()
        let connection = try open()
        defer { connection.close() }
        return try withContext("Pruning the newest rows of \(name)", database: database, table: table) {
            let create = try connection.showCreateTable(database, table)
            guard let key = Self.singlePrimaryKey(create) else { return nil }
            let k = SQL.quoteIdentifier(key)
            let row =
                try connection.strings("SELECT COUNT(*), MAX(\(k)) FROM \(qualified) WHERE \(k) >= \(floor)").first
                ?? []
            let rows = Int64((row[safe: 0] ?? nil) ?? "") ?? 0
            guard rows <= limit else { return nil }
            let high = (row[safe: 1] ?? nil).flatMap { Int64($0) }
            var deleted: Int64 = 0
            if let high, rows > 1 {
                try connection.execute("SET autocommit = 1")
                deleted = Int64(
                    try connection.execute("DELETE FROM \(qualified) WHERE \(k) >= \(floor) AND \(k) < \(high)")
                        .affectedRows)
            }
            return PruneResult(
                database: database, table: table, strategy: .batched, fellBackFrom: nil, refusal: nil,
                rowsBefore: rows, rowsBeforeIsEstimate: false, rowsAfter: rows - deleted, rowsDeleted: deleted,
                keptID: high, minimumIDBefore: nil,
                nextAutoIncrement: try Self.autoIncrementOption(create) ?? nextAutoIncrement(connection, table: table),
                durationSeconds: Date().timeIntervalSince(started), prunedBelow: floor)
        }
    }

    /// The column of a one-column primary key in a `SHOW CREATE TABLE` text, nil otherwise.
    static func singlePrimaryKey(_ create: String) -> String? {
        guard let start = create.range(of: "PRIMARY KEY (`") else { return nil }
        let rest = create[start.upperBound...]
        guard let end = rest.range(of: "`)") else { return nil }
        let name = String(rest[..<end.lowerBound])
        return name.contains("`") ? nil : name
    }
}
