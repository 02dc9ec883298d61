import BlockingWork
import Foundation
import MetaDB
import MetaDump
import Synchronization
import TerminalProgress

/// Where a snapshot of one database stands.
public enum SnapshotState: String, Sendable, Codable {
    /// No snapshot database exists.
    case absent
    /// A `take` started and did not finish; calling `take` again finishes it.
    case copying
    /// Every table is copied and checked: ready for `swapBack`.
    case complete
    /// A `swapBack` started and did not finish; calling `swapBack` again finishes it.
    case swapping
    /// The snapshot's tables are back under the original names; only `drop` is left.
    case swappedBack
}

/// What a snapshot holds of one database.
public struct SnapshotRecord: Sendable {
    /// The database copied.
    public var database: String
    /// The sibling database holding the copy, `<db>__pre_<label>`.
    public var snapshotDatabase: String
    /// Where it stands.
    public var state: SnapshotState
    /// Row count and checksums of every table at the time of the copy.
    public var tables: [String: TableChecksum]
    /// The views, by name.
    public var views: [String]
    /// The quarantine database, once a swap back has chosen it.
    public var quarantineDatabase: String?
}

/// How thoroughly `swapBack` checks the result.
public enum SwapBackVerification: String, Sendable, CaseIterable {
    /// Row counts and both checksums of every table, compared with the snapshot's record (reads all data).
    case checksums
    /// Row counts only.
    case rowCounts
    /// Only that the set of tables is right (time independent of data size).
    case tablesOnly
}

/// Fast rollback: a server-side copy of each database beside it, swapped back with one atomic `RENAME TABLE`.
///
/// ``take(databases:label:)`` copies `<db>` into `<db>__pre_<label>` with
/// `CREATE TABLE` (from `SHOW CREATE TABLE`, so indexes, options and
/// AUTO_INCREMENT are kept) and `INSERT … SELECT` in primary-key chunks (no row
/// crosses the network), and records row counts and checksums of source and
/// copy, which must agree. ``swapBack(databases:label:verification:)`` moves
/// every current table of `<db>` (including tables that only the upgrade made)
/// into `<db>__quarantine_<label>_<time>` and the snapshot's tables back, in one
/// statement per database, then recreates the views and triggers and checks the result.
///
/// Views and triggers are recorded as definitions in the marker table rather than
/// created in the snapshot database: a view there would still read the live
/// tables, and RENAME TABLE moves neither views nor tables with triggers across
/// databases. The live ones are saved in the quarantine database before they are dropped.
///
/// Every step is recorded in a marker table inside the snapshot database, so a
/// call interrupted at any point (even by SIGKILL) is finished by calling it
/// again with the same arguments.
public struct Snapshot: Sendable {
    /// The marker table inside each snapshot database.
    public static let markerTable = "__oms_snapshot"

    /// The server (its `database` field is ignored).
    public var server: ConnectionOptions
    /// Where progress goes.
    public var progress: ProgressReporter
    /// Rows per `INSERT … SELECT` statement for tables with an integer primary key.
    public var chunkRows: Int = 100_000

    /// Creates a snapshot handler.
    public init(server: ConnectionOptions, progress: ProgressReporter = .silent) {
        self.server = server
        self.progress = progress
    }

    /// The snapshot database name of `database` for `label`.
    public static func snapshotDatabase(of database: String, label: String) throws -> String {
        try DatabaseNames.validateLabel(label)
        return try DatabaseNames.snapshot(database, label: label)
    }

    // MARK: - Take

    /// Copies each database into `<db>__pre_<label>`, databases in parallel; finishes an interrupted copy.
    ///
    /// Each copy is checked against the source's checksum. When the caller already holds the
    /// source's checksums, taken while nothing writes (e.g. a backup manifest made moments before
    /// with OMS stopped), `expected` (database → table → checksum) saves reading every source table again.
    public func take(
        databases: [String], label: String,
        expected: [String: [String: TableChecksum]] = [:]
    ) async throws -> [SnapshotRecord] {
        try DatabaseNames.validateLabel(label)
        let worker = self
        return try await BlockingPool.shared.map(databases, width: databases.count) { database in
            try worker.takeOne(database, label: label, expected: expected[database] ?? [:])
        }
    }

    private func takeOne(_ database: String, label: String, expected: [String: TableChecksum]) throws -> SnapshotRecord
    {
        let snap = try DatabaseNames.snapshot(database, label: label)
        let connection = try withContext("Connecting to snapshot `\(database)`", database: database) {
            let connection = try Session.open(server)
            try Session.normalize(connection)
            try connection.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'")
            return connection
        }
        defer { connection.close() }
        let action = "Taking snapshot `\(snap)` of `\(database)`"
        return try withContext(action, database: database) {
            let marker = Marker(connection: connection, database: snap)
            switch try marker.state() {
            case .complete:
                return try marker.record(source: database)
            case .swapping, .swappedBack:
                throw MetaDumpError(
                    .refused, action: action,
                    reason: "that snapshot has already been swapped back (state \(try marker.state().rawValue))",
                    database: database, remedy: "Drop it (Snapshot.drop) before taking a new one with this label.")
            case .absent, .copying:
                break
            }
            let catalog = try SchemaCatalog.read(connection, database: database)
            try connection.execute(
                TableSwap.createDatabase(snap, characterSet: catalog.characterSet, collation: catalog.collation))
            try marker.create()
            try marker.setMeta(.copying, quarantine: nil, source: database)
            Session.prepareForBulkLoad(connection)

            let copied = try marker.copiedTables()
            let wanted = Set(catalog.tables.map(\.name))
            // Leftovers of an interrupted copy, or tables dropped from the source since.
            for table in try connection.tableNames(snap).tables where table != Self.markerTable {
                if !wanted.contains(table) || !copied.contains(table) {
                    try connection.execute("DROP TABLE \(SQL.qualified(snap, table))")
                }
            }
            try marker.forgetTables(except: wanted.intersection(copied))

            for table in catalog.tables where !copied.contains(table.name) {
                try withContext(
                    "Copying `\(database)`.`\(table.name)` into `\(snap)`", database: database, table: table.name
                ) {
                    let create = try connection.showCreateTable(database, table.name)
                    try connection.execute("USE \(SQL.quoteIdentifier(snap))")
                    try connection.execute(create)
                    try copyRows(connection, table: table, from: database, to: snap)
                    let source =
                        try expected[table.name] ?? TableChecksum.compute(connection, database: database, table: table)
                    let copy = try TableChecksum.compute(connection, database: snap, table: table)
                    guard source == copy else {
                        throw MetaDumpError(
                            .inconsistent, action: "Copying `\(database)`.`\(table.name)`",
                            reason: "the source has \(source) but the copy has \(copy)",
                            database: database, table: table.name,
                            remedy:
                                "Something wrote to the table during the copy; stop OMS and take the snapshot again.")
                    }
                    try marker.recordTable(table.name, checksum: copy, createSHA256: DefinitionHash.createTable(create))
                }
            }
            try marker.recordViews(catalog.views, of: database)
            // Table copies carry no triggers; their definitions wait in the marker for a swap back.
            try marker.recordTriggers(try TriggerDefinition.all(connection, in: database))
            try marker.setMeta(.complete, quarantine: nil, source: database)
            return try marker.record(source: database)
        }
    }

    /// Copies rows server-side in primary-key chunks (`INSERT … SELECT`), or in one statement without an integer key.
    ///
    /// Each chunk commits on its own: bounded transactions (OceanBase's limits), and
    /// measured on MariaDB 10.11 at the same speed as one big transaction with
    /// about half the server CPU (the bulk-insert path of one transaction sorts in
    /// background threads).
    private func copyRows(_ connection: Connection, table: TableInfo, from source: String, to target: String) throws {
        let columns = table.storedColumns.map { SQL.quoteIdentifier($0.name) }.joined(separator: ", ")
        let insert =
            "INSERT INTO \(SQL.qualified(target, table.name)) (\(columns)) SELECT \(columns) FROM \(SQL.qualified(source, table.name))"
        let task = progress.task("snapshot \(source).\(table.name)", total: max(table.estimatedRows, 0), unit: .items)
        defer { task.finish() }
        guard let key = table.integerKey else {
            let result = try connection.execute(insert)
            task.advance(by: Int64(result.affectedRows))
            return
        }
        let k = SQL.quoteIdentifier(key.name)
        let from = SQL.qualified(source, table.name)
        var low = try connection.text("SELECT MIN(\(k)) FROM \(from)")
        while let lowerBound = low {
            let high = try connection.text(
                "SELECT \(k) FROM \(from) WHERE \(k) >= \(lowerBound) ORDER BY \(k) LIMIT 1 OFFSET \(chunkRows)")
            let range = high.map { "\(k) >= \(lowerBound) AND \(k) < \($0)" } ?? "\(k) >= \(lowerBound)"
            let result = try connection.execute(insert + " WHERE " + range + " ORDER BY \(k)")
            task.advance(by: Int64(result.affectedRows))
            low = high
        }
    }

    // MARK: - Swap back

    /// Puts each database's snapshot back under the original names; finishes an interrupted swap.
    ///
    /// Returns the records, with ``SnapshotRecord/quarantineDatabase`` naming where
    /// the tables that were live went. Without `createObjects` the snapshot's views and triggers
    /// are not created (the caller puts every object back itself, after this).
    public func swapBack(
        databases: [String], label: String, verification: SwapBackVerification = .checksums,
        createObjects: Bool = true
    ) async throws -> [SnapshotRecord] {
        try DatabaseNames.validateLabel(label)
        let worker = self
        return try await BlockingPool.shared.map(databases, width: databases.count) { database in
            try worker.swapBackOne(
                database, label: label, verification: verification, createObjects: createObjects)
        }
    }

    /// Before the stop: names each complete snapshot's quarantine database in its marker (the swap
    /// back uses that name), creates it and saves the live views' and triggers' definitions there.
    ///
    /// Where DDL is slow (the OceanBase kernel: 0.2-0.5 s per statement) this takes the quarantine's
    /// `CREATE`s out of the outage. Changes nothing live; a snapshot in another state is left alone.
    public func prepareSwapBack(databases: [String], label: String) async throws {
        try DatabaseNames.validateLabel(label)
        let server = self.server
        _ = try await BlockingPool.shared.map(databases, width: databases.count) { database in
            let snap = try DatabaseNames.snapshot(database, label: label)
            try withContext("Preparing the swap of `\(snap)` back into `\(database)`", database: database) {
                let connection = try Session.open(server)
                defer { connection.close() }
                try Session.normalize(connection)
                Session.limitLockWait(connection)
                let marker = Marker(connection: connection, database: snap)
                guard try marker.state() == .complete else { return }
                let quarantine =
                    try marker.record(source: database).quarantineDatabase
                    ?? DatabaseNames.quarantine(database, label: label)
                try marker.setMeta(.complete, quarantine: quarantine, source: database)
                let schema =
                    try connection.strings(
                        "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(SQL.quoteString(snap))"
                    ).first ?? ["", ""]
                try TableSwap.prepare(
                    connection, live: database, quarantine: quarantine, characterSet: (schema[safe: 0] ?? nil) ?? "",
                    collation: (schema[safe: 1] ?? nil) ?? "")
            }
        }
    }

    private func swapBackOne(
        _ database: String, label: String, verification: SwapBackVerification, createObjects: Bool
    ) throws -> SnapshotRecord {
        let snap = try DatabaseNames.snapshot(database, label: label)
        let action = "Swapping snapshot `\(snap)` back into `\(database)`"
        let connection = try withContext(action, database: database) {
            let connection = try Session.open(server)
            try Session.normalize(connection)
            Session.limitLockWait(connection)
            return connection
        }
        defer { connection.close() }
        return try withContext(action, database: database) {
            let marker = Marker(connection: connection, database: snap)
            var record: SnapshotRecord
            switch try marker.state() {
            case .absent:
                throw MetaDumpError(
                    .refused, action: action, reason: "there is no snapshot `\(snap)`", database: database,
                    remedy: "Take a snapshot before the upgrade, or restore from a backup instead.")
            case .copying:
                throw MetaDumpError(
                    .inconsistent, action: action, reason: "the snapshot was never completed", database: database,
                    remedy: "The live database was not changed. Restore from a backup instead.")
            case .swappedBack:
                record = try marker.record(source: database)
                try check(connection, database: database, record: record, verification: verification)
                return record
            case .complete:
                // Named (and created) before the stop by ``prepareSwapBack(databases:label:)``, or now.
                let quarantine =
                    try marker.record(source: database).quarantineDatabase
                    ?? DatabaseNames.quarantine(database, label: label)
                try marker.setMeta(.swapping, quarantine: quarantine, source: database)
                record = try marker.record(source: database)
            case .swapping:
                record = try marker.record(source: database)
            }
            guard let quarantine = record.quarantineDatabase else {
                throw MetaDumpError(
                    .inconsistent, action: action, reason: "the marker names no quarantine database",
                    database: database)
            }
            let recorded = Set(record.tables.keys)
            let inSnapshot = Set(try connection.tableNames(snap).tables).subtracting([Self.markerTable])
            let views = createObjects ? try marker.views() : []
            let triggers = createObjects ? try marker.triggers() : []
            let schema =
                try connection.strings(
                    "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(SQL.quoteString(snap))"
                ).first ?? ["", ""]
            if recorded.isSubset(of: inSnapshot) {
                try TableSwap.swap(
                    connection, live: database, source: snap, incoming: recorded.sorted(),
                    quarantine: quarantine, characterSet: schema[0] ?? "", collation: schema[1] ?? "",
                    views: views, triggers: triggers)
            } else if recorded.isDisjoint(with: inSnapshot) {
                // The RENAME happened before an interruption; the views and triggers may still be missing.
                try TableSwap.createViews(connection, in: database, views)
                for trigger in triggers { try trigger.create(connection, in: database) }
            } else {
                throw MetaDumpError(
                    .inconsistent, action: action,
                    reason:
                        "some snapshot tables are in `\(snap)` and some are not: \(recorded.subtracting(inSnapshot).sorted().joined(separator: ", ")) moved",
                    database: database, remedy: "Inspect `\(snap)` and `\(database)` by hand.")
            }
            try check(connection, database: database, record: record, verification: verification)
            try marker.setMeta(.swappedBack, quarantine: quarantine, source: database)
            record.state = .swappedBack
            progress.message(
                "Swapped `\(snap)` back into `\(database)`; the tables that were live are in `\(quarantine)`")
            return record
        }
    }

    /// Checks that `database` holds exactly the recorded tables, with the recorded counts or checksums.
    private func check(
        _ connection: Connection, database: String, record: SnapshotRecord,
        verification: SwapBackVerification
    ) throws {
        // Only the names for `.tablesOnly`: the catalog's key and column reads are slow on the OceanBase kernel.
        let catalog = verification == .tablesOnly ? nil : try SchemaCatalog.read(connection, database: database)
        let live = Set(try catalog.map { $0.tables.map(\.name) } ?? connection.tableNames(database).tables)
        guard live == Set(record.tables.keys) else {
            throw MetaDumpError(
                .verificationFailed, action: "Checking `\(database)` after the swap back",
                reason: "it holds tables \(live.sorted()) but the snapshot recorded \(record.tables.keys.sorted())",
                database: database)
        }
        for table in catalog?.tables ?? [] {
            guard let expected = record.tables[table.name] else { continue }  // none: the names match (above)
            switch verification {
            case .tablesOnly:
                continue
            case .rowCounts:
                let count = try connection.int64("SELECT COUNT(*) FROM \(SQL.qualified(database, table.name))") ?? -1
                if count != expected.rowCount {
                    throw MetaDumpError(
                        .verificationFailed, action: "Checking `\(database)`.`\(table.name)` after the swap back",
                        reason: "it has \(count) rows, the snapshot recorded \(expected.rowCount)",
                        database: database, table: table.name)
                }
            case .checksums:
                let sum = try TableChecksum.compute(connection, database: database, table: table)
                if sum != expected {
                    throw MetaDumpError(
                        .verificationFailed, action: "Checking `\(database)`.`\(table.name)` after the swap back",
                        reason: "it has \(sum), the snapshot recorded \(expected)",
                        database: database, table: table.name)
                }
            }
        }
    }

    // MARK: - Status and drop

    /// Where each database's snapshot for `label` stands.
    public func status(databases: [String], label: String) async throws -> [SnapshotRecord] {
        try DatabaseNames.validateLabel(label)
        let server = self.server
        return try await BlockingPool.shared.run {
            let connection = try Session.open(server)
            defer { connection.close() }
            return try databases.map { database in
                let snap = try DatabaseNames.snapshot(database, label: label)
                return try withContext("Reading snapshot `\(snap)`", database: database) {
                    try Marker(connection: connection, database: snap).record(source: database)
                }
            }
        }
    }

    /// Drops each `<db>__pre_<label>` (after a confirmed upgrade, or after a swap back). Idempotent.
    public func drop(databases: [String], label: String) async throws {
        try DatabaseNames.validateLabel(label)
        let server = self.server
        try await BlockingPool.shared.run {
            let connection = try Session.open(server)
            defer { connection.close() }
            for database in databases {
                let snap = try DatabaseNames.snapshot(database, label: label)
                _ = try withContext("Dropping snapshot `\(snap)`", database: database) {
                    try connection.execute("DROP DATABASE IF EXISTS \(SQL.quoteIdentifier(snap))")
                }
            }
        }
    }
}

/// The marker table inside a snapshot database: its state, the tables copied with their checksums, the views.
struct Marker {
    let connection: Connection
    let database: String

    var table: String { SQL.qualified(database, Snapshot.markerTable) }

    func create() throws {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS \(table) (
              kind varchar(8) NOT NULL, name varchar(64) NOT NULL, row_count bigint NULL,
              crc32_sum varchar(80) NULL, reversed_crc32_sum varchar(80) NULL, create_sha256 char(64) NULL,
              definition longtext NULL, state varchar(16) NOT NULL,
              PRIMARY KEY (kind, name)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
            """)
    }

    func exists() throws -> Bool {
        try !connection.strings(
            """
            SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SQL.quoteString(database)) \
            AND TABLE_NAME = \(SQL.quoteString(Snapshot.markerTable))
            """
        ).isEmpty
    }

    func state() throws -> SnapshotState {
        // One statement, no information_schema lookups first (each is tens to hundreds of
        // milliseconds on the OceanBase kernel): a missing database or marker table is `.absent`.
        let value: String?
        do {
            value = try connection.text("SELECT state FROM \(table) WHERE kind = 'meta' AND name = 'snapshot'")
        } catch let error as MetaDBError where Self.missingCodes.contains(error.code) {
            return .absent
        }
        return value.flatMap(SnapshotState.init(rawValue:)) ?? .copying
    }

    /// Unknown database (1049) and unknown table (1146), on MySQL, MariaDB and the OceanBase kernel.
    static let missingCodes: Set<UInt32> = [1049, 1146]

    func setMeta(_ state: SnapshotState, quarantine: String?, source: String) throws {
        try connection.execute(
            """
            REPLACE INTO \(table) (kind, name, definition, state) VALUES \
            ('meta', 'snapshot', \(quarantine.map(SQL.quoteString) ?? "NULL"), \(SQL.quoteString(state.rawValue))), \
            ('meta', 'source', \(SQL.quoteString(source)), 'recorded')
            """)
    }

    func copiedTables() throws -> Set<String> {
        Set(
            try connection.strings("SELECT name FROM \(table) WHERE kind = 'table' AND state = 'copied'").compactMap {
                $0[0]
            })
    }

    func forgetTables(except keep: Set<String>) throws {
        for name in try connection.strings("SELECT name FROM \(table) WHERE kind = 'table'").compactMap({ $0[0] })
        where !keep.contains(name) {
            try connection.execute("DELETE FROM \(table) WHERE kind = 'table' AND name = \(SQL.quoteString(name))")
        }
    }

    func recordTable(_ name: String, checksum: TableChecksum, createSHA256: String, state: String = "copied") throws {
        try connection.execute(
            """
            REPLACE INTO \(table) (kind, name, row_count, crc32_sum, reversed_crc32_sum, create_sha256, state) VALUES \
            ('table', \(SQL.quoteString(name)), \(checksum.rowCount), \(SQL.quoteString(checksum.crc32Sum)), \
            \(SQL.quoteString(checksum.reversedCRC32Sum)), \(SQL.quoteString(createSHA256)), \(SQL.quoteString(state)))
            """)
    }

    /// Records the views `names` of `source` as `SHOW CREATE VIEW` gives them now, in place of those recorded.
    func recordViews(_ names: [String], of source: String) throws {
        try recordViews(
            names.map {
                ViewDefinition(
                    name: $0, showCreateView: try connection.showCreateView(source, $0), database: source,
                    foldingCase: connection.isOceanBase)
            }
        )
    }

    func recordViews(_ views: [ViewDefinition]) throws {
        try connection.execute("DELETE FROM \(table) WHERE kind = 'view'")
        for view in views {
            try connection.execute(
                """
                REPLACE INTO \(table) (kind, name, definition, state) VALUES \
                ('view', \(SQL.quoteString(view.name)), \(SQL.quoteString(view.statement)), 'copied')
                """)
        }
    }

    func recordTriggers(_ triggers: [TriggerDefinition]) throws {
        try connection.execute("DELETE FROM \(table) WHERE kind = 'trigger'")
        for (position, trigger) in triggers.enumerated() {
            let json = String(decoding: try JSONEncoder().encode(trigger), as: UTF8.self)
            // row_count keeps the creation order (triggers on one table and event fire in that order).
            try connection.execute(
                """
                REPLACE INTO \(table) (kind, name, row_count, definition, state) VALUES \
                ('trigger', \(SQL.quoteString(trigger.name)), \(position), \(SQL.quoteString(json)), 'copied')
                """)
        }
    }

    func triggers() throws -> [TriggerDefinition] {
        try connection.strings("SELECT definition FROM \(table) WHERE kind = 'trigger' ORDER BY row_count").compactMap {
            guard let json = $0[0] else { return nil }
            return try JSONDecoder().decode(TriggerDefinition.self, from: Data(json.utf8))
        }
    }

    func views() throws -> [ViewDefinition] {
        try connection.strings("SELECT name, definition FROM \(table) WHERE kind = 'view' ORDER BY name").map {
            ViewDefinition(name: $0[0] ?? "", statement: $0[1] ?? "", definer: nil)
        }
    }

    func record(source: String) throws -> SnapshotRecord {
        let state = try self.state()
        guard state != .absent else {
            return SnapshotRecord(
                database: source, snapshotDatabase: database, state: .absent, tables: [:], views: [],
                quarantineDatabase: nil)
        }
        var tables: [String: TableChecksum] = [:]
        for row in try connection.strings(
            "SELECT name, row_count, crc32_sum, reversed_crc32_sum FROM \(table) WHERE kind = 'table' AND state = 'copied'"
        ) {
            tables[row[0] ?? ""] = TableChecksum(
                rowCount: Int64(row[1] ?? "") ?? -1, crc32Sum: row[2] ?? "", reversedCRC32Sum: row[3] ?? "")
        }
        let quarantine = try connection.text(
            "SELECT definition FROM \(table) WHERE kind = 'meta' AND name = 'snapshot'")
        return SnapshotRecord(
            database: source, snapshotDatabase: database, state: state, tables: tables,
            views: try views().map(\.name), quarantineDatabase: quarantine)
    }
}
