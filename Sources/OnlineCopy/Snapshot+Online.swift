import BlockingWork
import Foundation
import MetaDB
import MetaDump
import Synchronization

/// Serializes the capture triggers' creation where the server requires it (see `installCapture`).
private let triggerCreation = Mutex<Void>(())

/// What the online copy did for one database.
public struct OnlineCopyRecord: Sendable {
    /// The database copied.
    public var database: String
    /// Its snapshot database, `<db>__pre_<label>`.
    public var snapshotDatabase: String
    /// Tables whose changes triggers capture; the catch-up applies only the changed keys.
    public var capturedTables: [String]
    /// Tables the catch-up copies whole (table → why: no single integer key, or triggers refused).
    public var copiedAtStop: [String: String]
    /// Rows copied online.
    public var rows: Int64
    /// The capture triggers' `CREATE TRIGGER`s on the live tables, timed, where the stop drops them
    /// again (not where it only switches them off): what one of the stop's DDL costs on these tables.
    public var captureDDL = CaptureDDLTiming()
}

/// How long the capture triggers' `CREATE TRIGGER` statements took on the live tables.
public struct CaptureDDLTiming: Sendable {
    /// Statements timed.
    public var statements = 0
    /// Their total time, in seconds.
    public var seconds = 0.0

    public init() {}

    /// The mean of one statement, nil when none was timed.
    public var mean: Double? { statements > 0 ? seconds / Double(statements) : nil }
}

/// What the catch-up did for one database.
public struct CatchUpRecord: Sendable {
    /// The database caught up.
    public var database: String
    /// Keys the triggers logged (rows changed since the online copy), all applied and checked.
    public var changedKeys: Int64
    /// Tables copied whole at the stop (no capture, a changed definition, or new since the copy).
    public var tablesCopiedWhole: [String]
}

/// The online snapshot: copy while OMS runs, capture changes with triggers, catch up at stop.
///
/// ``copyOnline(databases:label:)`` runs while the old OMS writes. Per table with a single
/// integer primary key it creates a change-log table `__oms_chg_<n>` in the snapshot database
/// and three AFTER triggers (`oms_cc_<label>_<database number>_<n>_i|u|d`, beside any triggers the deployment has)
/// that record every inserted, updated or deleted key; then it copies the rows in key-ordered,
/// autocommitted `INSERT IGNORE … SELECT` chunks (no long lock) and records the copy's checksum.
/// The snapshot stays in state `copying`: it is not usable until the catch-up.
///
/// ``catchUp(databases:label:)`` runs once OMS is stopped (nothing writes): it drops the capture
/// triggers, and per table, in one transaction with the marker update, replaces the logged keys'
/// rows by the live ones, checks that those rows now equal the live ones, and derives the table's
/// checksum from the copy's (the checksum is a sum over rows: minus the old rows, plus the new).
/// Tables without capture, or whose definition changed since the copy, are copied whole. Work and
/// time are proportional to the rows changed since the copy, not to the rows stored. Re-entered
/// after a crash it goes on from the tables already caught up (each commits with its marker row).
///
/// ``removeCapture(databases:label:)`` drops the triggers on any path (failure, rollback,
/// resume); it never touches triggers it did not create.
///
/// Where DDL is slow (the OceanBase kernel: 0.2-0.5 s per statement, four per captured table),
/// dropping the triggers and change logs would be most of the outage. There the triggers log
/// only while a row exists in the snapshot's `__oms_cc_on`: at the stop ``stopCapture(databases:label:dropFromRows:)``
/// deletes it (one DML statement) and drops only the large tables' triggers (an inert trigger still
/// costs every row the new image's init writes), and ``finishCapture(databases:label:)`` drops the
/// other inert triggers and the change logs once the new OMS serves.
extension Snapshot {
    /// The name prefix of the capture triggers of `label`.
    public static func captureTriggerPrefix(label: String) -> String { "oms_cc_\(label)_" }

    /// Copies each database online into `<db>__pre_<label>` with change capture; starts over after an interruption.
    ///
    /// `checkpoint` is called after each table (for the crash tests' kill points).
    public func copyOnline(
        databases: [String], label: String,
        checkpoint: @escaping @Sendable () -> Void = {}
    ) async throws -> [OnlineCopyRecord] {
        try DatabaseNames.validateLabel(label)
        let worker = self
        // The triggers of each database get names of their own, so that no two are alike anywhere.
        let numbered = Array(databases.enumerated())
        let records = try await BlockingPool.shared.map(numbered, width: databases.count) { item in
            try worker.copyOnlineOne(item.element, number: item.offset, label: label, checkpoint: checkpoint)
        }
        return records
    }

    /// Drops the capture triggers of `label` from each database; returns how many were dropped. Idempotent.
    @discardableResult
    public func removeCapture(databases: [String], label: String) async throws -> Int {
        try DatabaseNames.validateLabel(label)
        let server = self.server
        let counts = try await BlockingPool.shared.map(databases, width: databases.count) {
            database in
            let connection = try Session.open(server)
            defer { connection.close() }
            Session.limitLockWait(connection)
            return try withContext("Removing the change-capture triggers from `\(database)`", database: database) {
                try Self.dropCaptureTriggers(connection, database: database, label: label)
            }
        }
        return counts.reduce(0, +)
    }

    /// The snapshot's table whose one row keeps the capture triggers logging (slow-DDL servers only).
    static let captureSwitchTable = "__oms_cc_on"

    /// Whether capture triggers are left inert at the stop and dropped after it (DDL is slow there).
    static func defersCaptureRemoval(_ connection: Connection) -> Bool { connection.isOceanBase }

    /// At the stop: drops the capture triggers (``removeCapture(databases:label:)``) or, where DDL is
    /// slow, makes them inert by deleting the switch row and drops only those of the tables the online
    /// copy found with at least `dropFromRows` rows; returns the triggers dropped. Idempotent.
    ///
    /// An inert trigger still runs once per row written: on the OceanBase kernel that made an update of
    /// every row 20 times slower (0.14 ms a row, quiet; the new image's init updates a whole table),
    /// while a `DROP TRIGGER` takes about 0.02 s there. So the triggers of large tables go at the stop
    /// (the catch-up runs meanwhile), the many small tables' once the new OMS serves
    /// (``finishCapture(databases:label:)``). `nil`: none are dropped at the stop there.
    @discardableResult
    public func stopCapture(databases: [String], label: String, dropFromRows: Int64? = nil) async throws -> Int {
        try DatabaseNames.validateLabel(label)
        let server = self.server
        // Where DDL is slow the server runs it one statement at a time anyway: one session does every
        // database in turn (at the stop, beside the catch-up's sessions, each new connection counts).
        let inert = try await BlockingPool.shared.run { () throws -> Int? in
            let connection = try Session.open(server)
            defer { connection.close() }
            guard Self.defersCaptureRemoval(connection) else { return nil }
            Session.limitLockWait(connection)
            return try databases.reduce(0) { dropped, database in
                try dropped
                    + withContext("Stopping the change capture of `\(database)`", database: database) {
                        try Self.makeCaptureInert(
                            connection, database: database, label: label, dropFromRows: dropFromRows)
                    }
            }
        }
        if let inert { return inert }
        let counts = try await BlockingPool.shared.map(databases, width: databases.count) { database in
            let connection = try Session.open(server)
            defer { connection.close() }
            Session.limitLockWait(connection)
            return try withContext("Stopping the change capture of `\(database)`", database: database) {
                try Self.dropCaptureTriggers(connection, database: database, label: label)
            }
        }
        return counts.reduce(0, +)
    }

    /// Where DDL is slow: deletes the switch row of `database`'s snapshot and drops the capture triggers
    /// of its tables with at least `dropFromRows` rows; returns how many triggers were dropped.
    static func makeCaptureInert(_ connection: Connection, database: String, label: String, dropFromRows: Int64?)
        throws -> Int
    {
        let snap = try DatabaseNames.snapshot(database, label: label)
        try switchCaptureOff(connection, snap: snap)
        guard let dropFromRows else { return 0 }
        let large = try largeTables(connection, snap: snap, rows: dropFromRows)
        guard !large.isEmpty else { return 0 }
        return try dropCaptureTriggers(connection, database: database, label: label, tables: large)
    }

    /// The tables the online copy found with at least `rows` rows (its marker's counts); none without a snapshot.
    static func largeTables(_ connection: Connection, snap: String, rows: Int64) throws -> [String] {
        do {
            return try Marker(connection: connection, database: snap).tableStates()
                .filter { $0.value.checksum.rowCount >= rows }.map(\.key).sorted()
        } catch let error as MetaDBError where Marker.missingCodes.contains(error.code) {
            return []
        }
    }

    /// After the stop, once the new OMS serves: drops the capture triggers left inert at the stop, and
    /// the change logs and the switch table from the snapshot. Idempotent; nothing to do where the
    /// stop dropped them.
    public func finishCapture(databases: [String], label: String) async throws {
        try DatabaseNames.validateLabel(label)
        let server = self.server
        _ = try await BlockingPool.shared.map(databases, width: databases.count) { database in
            let connection = try Session.open(server)
            defer { connection.close() }
            Session.limitLockWait(connection)
            return try withContext("Removing the inert change capture of `\(database)`", database: database) {
                _ = try Self.dropCaptureTriggers(connection, database: database, label: label)
                let snap = try DatabaseNames.snapshot(database, label: label)
                let leftovers = try connection.strings(
                    """
                    SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SQL.quoteString(snap)) \
                    AND (TABLE_NAME LIKE '\\_\\_oms\\_chg\\_%' OR TABLE_NAME = \(SQL.quoteString(Self.captureSwitchTable)))
                    """
                ).compactMap { $0[0] }
                for table in leftovers {
                    try connection.execute("DROP TABLE IF EXISTS \(SQL.qualified(snap, table))")
                }
                return leftovers.count
            }
        }
    }

    /// Deletes the switch row of `snap` (if the table exists): the triggers log nothing more.
    static func switchCaptureOff(_ connection: Connection, snap: String) throws {
        // The stop and the catch-up both switch the capture off, on two sessions at once. On the OceanBase
        // kernel (snapshot isolation) the later DELETE fails with 6235 when the earlier one deleted the row
        // first; run again, it takes a new snapshot and finds the row gone.
        for attempt in 1...3 {
            do {
                try connection.execute("DELETE FROM \(SQL.qualified(snap, captureSwitchTable))")
                return
            } catch let error as MetaDBError where Marker.missingCodes.contains(error.code) {
                return  // No switch (or no snapshot): nothing logs.
            } catch let error as MetaDBError where error.code == 6235 && attempt < 3 {
                continue
            }
        }
    }

    /// Runs `body` (trigger DDL) under a 60 s statement limit on the OceanBase kernel, then gives the
    /// session its day-long limit back. A trigger DDL there can wait on the server for good (seen: a
    /// CREATE TRIGGER of a session killed with SIGKILL blocked every later DDL); with the session's
    /// day-long limit it would hold the server's DDL for a day, with this one a minute.
    static func withBoundedDDL<T>(_ connection: Connection, _ body: () throws -> T) throws -> T {
        guard connection.isOceanBase else { return try body() }
        try connection.execute("SET SESSION ob_query_timeout = 60000000")
        defer { _ = try? connection.execute(Connection.oceanBaseSessionSettings) }
        return try body()
    }

    /// Drops the capture triggers of `label` from `database` (only those on `tables` when given); returns how many.
    static func dropCaptureTriggers(
        _ connection: Connection, database: String, label: String, tables: [String]? = nil
    ) throws -> Int {
        try withBoundedDDL(connection) {
            try dropCaptureTriggersUnbounded(connection, database: database, label: label, tables: tables)
        }
    }

    private static func dropCaptureTriggersUnbounded(
        _ connection: Connection, database: String, label: String, tables: [String]?
    ) throws -> Int {
        let prefix = captureTriggerPrefix(label: label)
        let onTables = tables.map { " AND EVENT_OBJECT_TABLE IN (\($0.map(SQL.quoteString).joined(separator: ", ")))" }
        let names = try connection.strings(
            "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = \(SQL.quoteString(database))"
                + (onTables ?? "")
        ).compactMap { $0[0] }.filter { $0.hasPrefix(prefix) }
        for name in names {
            try connection.execute("DROP TRIGGER IF EXISTS \(SQL.qualified(database, name))")
        }
        return names.count
    }

    // MARK: - Online copy

    private func copyOnlineOne(_ database: String, number: Int, label: String, checkpoint: () -> Void) throws
        -> OnlineCopyRecord
    {
        let snap = try DatabaseNames.snapshot(database, label: label)
        let action = "Copying `\(database)` online into `\(snap)`"
        let connection = try withContext(action, database: database) { try openOnlineCopySession() }
        defer { connection.close() }
        return try withContext(action, database: database) {
            let marker = Marker(connection: connection, database: snap)
            switch try marker.state() {
            case .complete, .swapping, .swappedBack:
                throw MetaDumpError(
                    .refused, action: action,
                    reason: "the snapshot `\(snap)` is already complete (state \(try marker.state().rawValue))",
                    database: database, remedy: "Drop it before copying again with this label.")
            case .absent, .copying:
                break
            }
            let catalog = try startOnlineCopy(connection, of: database, into: snap, label: label, marker: marker)
            // Asked now, while OMS runs, the answer is known (per server and version) when the objects are
            // read at the stop, which then sends one information_schema query less.
            _ = try? ObjectDefinition.hasEventsTable(connection)
            var record = OnlineCopyRecord(
                database: database, snapshotDatabase: snap, capturedTables: [],
                copiedAtStop: [:], rows: 0)
            for (ordinal, table) in catalog.tables.enumerated() {
                try withContext("Copying `\(database)`.`\(table.name)` online", database: database, table: table.name) {
                    try copyTableOnline(
                        connection, table: table, ordinal: ordinal, of: database, into: snap, number: number,
                        label: label, marker: marker, record: &record)
                }
                checkpoint()
            }
            return record
        }
    }

    /// A session for one database's online copy: plain `sql_mode`, and a short lock wait.
    private func openOnlineCopySession() throws -> Connection {
        let connection = try Session.open(server)
        try Session.normalize(connection)
        try connection.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'")
        // CREATE TRIGGER waits for the writers' open transactions: fail rather than queue them behind us.
        Session.limitLockWait(connection, seconds: 20)
        return connection
    }

    /// Starts `snap` over, empty and marked as copying, for the online copy of `database`; returns the
    /// live database's catalog.
    private func startOnlineCopy(
        _ connection: Connection, of database: String, into snap: String, label: String, marker: Marker
    ) throws -> SchemaCatalog {
        // Plain (non-locking) reads for the copy where the server allows it: every change after the
        // trigger exists is logged anyway, and the old OMS's writers never wait for the copy.
        _ = try? connection.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
        _ = try? connection.execute("SET SESSION innodb_lock_wait_timeout = 5")
        // OMS still runs and nothing depends on a partial copy: start over.
        _ = try Self.dropCaptureTriggers(connection, database: database, label: label)
        try connection.execute("DROP DATABASE IF EXISTS \(SQL.quoteIdentifier(snap))")
        let catalog = try SchemaCatalog.read(connection, database: database)
        try connection.execute(
            TableSwap.createDatabase(
                snap, characterSet: catalog.characterSet,
                collation: catalog.collation))
        try marker.create()
        try marker.setMeta(.copying, quarantine: nil, source: database)
        if Self.defersCaptureRemoval(connection) {
            let table = SQL.qualified(snap, Self.captureSwitchTable)
            try connection.execute("CREATE TABLE \(table) (id tinyint NOT NULL PRIMARY KEY)")
            try connection.execute("INSERT INTO \(table) VALUES (1)")
        }
        Session.prepareForBulkLoad(connection)
        return catalog
    }

    /// Creates `table` in `snap`, puts the change capture on the live one and copies its rows, or
    /// leaves it to be copied whole at the stop (no single-column integer key, or triggers refused).
    private func copyTableOnline(
        _ connection: Connection, table: TableInfo, ordinal: Int, of database: String, into snap: String,
        number: Int, label: String, marker: Marker, record: inout OnlineCopyRecord
    ) throws {
        let create = try connection.showCreateTable(database, table.name)
        try connection.execute("USE \(SQL.quoteIdentifier(snap))")
        try connection.execute(create)
        var changeLog: String?
        if let key = table.integerKey {
            do {
                changeLog = try installCapture(
                    connection, database: database, snap: snap, table: table.name,
                    key: key.name, ordinal: ordinal, databaseNumber: number, label: label,
                    timing: &record.captureDDL)
                try Self.awaitTransactionsOpenAtCapture(connection)
            } catch {
                record.copiedAtStop[table.name] = "the server refused the capture triggers (\(error))"
            }
        } else {
            record.copiedAtStop[table.name] = "no single-column integer primary key"
        }
        try marker.recordCapture(table.name, changeLog: changeLog, ordinal: ordinal)
        guard changeLog != nil else { return }
        record.capturedTables.append(table.name)
        record.rows += try copyChunks(connection, table: table, from: database, to: snap)
        let copy = try TableChecksum.compute(connection, database: snap, table: table)
        try marker.recordTable(
            table.name, checksum: copy, createSHA256: DefinitionHash.createTable(create),
            state: "online")
    }

    /// On the OceanBase kernel, waits until every transaction open when the capture triggers appeared has ended.
    ///
    /// MariaDB's `CREATE TRIGGER` waits for the open transactions on the table (its metadata lock);
    /// the OceanBase kernel's does not. A statement already running there writes without the trigger,
    /// and if its transaction commits after the copy read the row, the change would reach neither the
    /// copy nor the change log. Once those transactions have ended, the copy reads what they wrote.
    /// Throws after 60 s, and the table is then copied whole at the stop.
    static func awaitTransactionsOpenAtCapture(_ connection: Connection) throws {
        guard connection.isOceanBase else { return }
        let openTransactions = """
            SELECT TX_ID FROM oceanbase.V$OB_TRANSACTION_SCHEDULERS \
            WHERE SESSION_ID <> CONNECTION_ID() AND TX_ID <> 0
            """
        var waitingFor = Set(try connection.strings(openTransactions).compactMap { $0.first ?? nil })
        let deadline = ContinuousClock.now + .seconds(60)
        while !waitingFor.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw MetaDumpError(
                    .unsupported, action: "Waiting for the transactions open when the capture began",
                    reason: "\(waitingFor.count) transaction(s) stayed open for 60 s")
            }
            Thread.sleep(forTimeInterval: 0.02)
            waitingFor.formIntersection(try connection.strings(openTransactions).compactMap { $0.first ?? nil })
        }
    }

    /// Creates the change log and the three triggers of one table; returns the change log's name.
    private func installCapture(
        _ connection: Connection, database: String, snap: String, table: String, key: String,
        ordinal: Int, databaseNumber: Int, label: String, timing: inout CaptureDDLTiming
    ) throws -> String {
        let changeLog = "__oms_chg_\(ordinal)"
        let keyType =
            try connection.text(
                """
                SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = \(SQL.quoteString(database)) \
                AND TABLE_NAME = \(SQL.quoteString(table)) AND COLUMN_NAME = \(SQL.quoteString(key))
                """) ?? "bigint"
        guard keyType.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " || $0 == "(" || $0 == ")" }) else {
            throw MetaDumpError(
                .unsupported, action: "Capturing changes of `\(database)`.`\(table)`",
                reason: "unexpected key column type \(keyType)", database: database, table: table)
        }
        let log = SQL.qualified(snap, changeLog)
        try connection.execute("CREATE TABLE \(log) (\(Self.changeKey) \(keyType) NOT NULL PRIMARY KEY) ENGINE=InnoDB")
        let k = SQL.quoteIdentifier(key)
        let prefix = Self.captureTriggerPrefix(label: label) + "\(databaseNumber)_\(ordinal)_"
        let target = SQL.qualified(database, table)
        var statements = [
            ("i", "INSERT", "INSERT IGNORE INTO \(log) (\(Self.changeKey)) VALUES (NEW.\(k))"),
            ("u", "UPDATE", "INSERT IGNORE INTO \(log) (\(Self.changeKey)) VALUES (OLD.\(k)), (NEW.\(k))"),
            ("d", "DELETE", "INSERT IGNORE INTO \(log) (\(Self.changeKey)) VALUES (OLD.\(k))"),
        ]
        if Self.defersCaptureRemoval(connection) {
            // Log only while the switch row exists: the stop deletes it instead of dropping the triggers.
            let on = SQL.qualified(snap, Self.captureSwitchTable)
            statements = [
                ("i", "INSERT", "INSERT IGNORE INTO \(log) (\(Self.changeKey)) SELECT NEW.\(k) FROM \(on)"),
                (
                    "u", "UPDATE",
                    "INSERT IGNORE INTO \(log) (\(Self.changeKey)) SELECT OLD.\(k) FROM \(on) UNION ALL SELECT NEW.\(k) FROM \(on)"
                ),
                ("d", "DELETE", "INSERT IGNORE INTO \(log) (\(Self.changeKey)) SELECT OLD.\(k) FROM \(on)"),
            ]
        }
        // The OceanBase kernel answers concurrent CREATE TRIGGERs (one per database here) with a
        // spurious "trigger … already exist" (5734): there they are created one at a time.
        let serialize = Self.defersCaptureRemoval(connection)
        try connection.execute(
            serialize ? "SET SESSION ob_query_timeout = 60000000" : "DO 0")  // See withBoundedDDL.
        defer { if serialize { _ = try? connection.execute(Connection.oceanBaseSessionSettings) } }
        do {
            // The OceanBase kernel refuses CREATE TRIGGER without a current database (1046), even with
            // qualified names; the trigger belongs to the table's database.
            try connection.execute("USE \(SQL.quoteIdentifier(database))")
            for (suffix, event, body) in statements {
                let create = """
                    CREATE TRIGGER \(SQL.qualified(database, prefix + suffix)) AFTER \(event) ON \(target) \
                    FOR EACH ROW \(body)
                    """
                if serialize {
                    try triggerCreation.withLock { _ in
                        try connection.createTriggerTolerantly(create, database: database, name: prefix + suffix)
                    }
                } else {
                    // Timed here only: where the stop drops these triggers, one drop costs about one create.
                    let clock = ContinuousClock()
                    let elapsed = try clock.measure { try connection.execute(create) }
                    timing.statements += 1
                    timing.seconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                }
            }
        } catch {
            for (suffix, _, _) in statements {
                _ = try? connection.execute("DROP TRIGGER IF EXISTS \(SQL.qualified(database, prefix + suffix))")
            }
            _ = try? connection.execute("DROP TABLE IF EXISTS \(log)")
            throw error
        }
        return changeLog
    }

    /// Copies rows in key-ordered chunks, each its own autocommitted `INSERT IGNORE … SELECT`; returns the rows copied.
    private func copyChunks(_ connection: Connection, table: TableInfo, from source: String, to target: String) throws
        -> Int64
    {
        guard let key = table.integerKey else { return 0 }
        let columns = table.storedColumns.map { SQL.quoteIdentifier($0.name) }.joined(separator: ", ")
        let from = SQL.qualified(source, table.name)
        let insert =
            "INSERT IGNORE INTO \(SQL.qualified(target, table.name)) (\(columns)) SELECT \(columns) FROM \(from)"
        let k = SQL.quoteIdentifier(key.name)
        let task = progress.task(
            "online copy \(source).\(table.name)", total: max(table.estimatedRows, 0), unit: .items)
        defer { task.finish() }
        var rows: Int64 = 0
        var low = try connection.text("SELECT MIN(\(k)) FROM \(from)")
        while let lowerBound = low {
            let high = try connection.text(
                "SELECT \(k) FROM \(from) WHERE \(k) >= \(lowerBound) ORDER BY \(k) LIMIT 1 OFFSET \(onlineChunkRows)")
            let range = high.map { "\(k) >= \(lowerBound) AND \(k) < \($0)" } ?? "\(k) >= \(lowerBound)"
            let result = try Self.retryingConflicts {
                try connection.execute(insert + " WHERE " + range + " ORDER BY \(k)")
            }
            rows += Int64(result.affectedRows)
            task.advance(by: Int64(result.affectedRows))
            low = high
        }
        return rows
    }

    /// Runs `body` again (up to 20 times, briefly pausing) when the server picked it as a deadlock victim or
    /// its lock wait timed out: the live writers win; a chunk is idempotent (`INSERT IGNORE`, changes captured).
    static func retryingConflicts<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch let error as MetaDBError where (error.code == 1213 || error.code == 1205) && attempt < 20 {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.01 * Double(attempt))
            }
        }
    }

    /// Rows per online chunk: small, so that the shared locks `INSERT … SELECT` takes on the source are brief.
    var onlineChunkRows: Int { min(chunkRows, 10_000) }

    // MARK: - Catch-up

    /// Reads the marker of `database`'s snapshot and switches its capture off where that is deferred.
    func catchUpPrelude(_ session: CatchUpSession, database: String, label: String) throws -> CatchUpPrelude {
        let snap = try DatabaseNames.snapshot(database, label: label)
        let action = "Catching up snapshot `\(snap)` with `\(database)`"
        return try withContext(action, database: database) {
            let connection = session.connection
            let marker = Marker(connection: connection, database: snap)
            var prelude = CatchUpPrelude(database: database, snap: snap, done: false, captures: [:], states: [:])
            switch try marker.state() {
            case .complete, .swapping, .swappedBack:
                prelude.done = true
                return prelude
            case .absent:
                throw MetaDumpError(
                    .refused, action: action, reason: "there is no online copy `\(snap)`",
                    database: database, remedy: "Run the online copy first (resume the run).")
            case .copying:
                break
            }
            // Nothing writes any more (OMS is stopped), so the triggers fire no more: the caller drops them
            // meanwhile (``stopCapture(databases:label:dropFromRows:)``), before anything starts writing again; where
            // DDL is slow it makes them inert instead, and so does this, before the new OMS can write.
            if Self.defersCaptureRemoval(connection) { try Self.switchCaptureOff(connection, snap: snap) }
            prelude.captures = try marker.captures()
            prelude.states = try marker.tableStates()
            return prelude
        }
    }

    /// Catches one table up (its changed keys, or whole); returns the keys applied and whether it was copied whole.
    func catchUpTable(_ session: CatchUpSession, _ table: TableInfo, prelude: CatchUpPrelude) throws
        -> (keys: Int64, copiedWhole: Bool)
    {
        let database = prelude.database
        let snap = prelude.snap
        return try withContext("Catching up `\(database)`.`\(table.name)`", database: database, table: table.name) {
            let connection = session.connection
            let marker = Marker(connection: connection, database: snap)
            let create = try connection.showCreateTable(database, table.name)
            let hash = DefinitionHash.createTable(create)
            var outcome: (keys: Int64, copiedWhole: Bool) = (0, false)
            if let changeLog = prelude.captures[table.name] ?? nil, let online = prelude.states[table.name],
                online.createSHA256 == hash,
                let key = table.integerKey
            {
                outcome.keys = try applyChanges(
                    session, marker: marker, table: table, key: key.name,
                    database: database, snap: snap, changeLog: changeLog,
                    online: online.checksum, createSHA256: hash)
            } else {
                try copyWhole(session, marker: marker, table: table, create: create, database: database, snap: snap)
                outcome.copiedWhole = true
            }
            try alignAutoIncrement(connection, table: table.name, database: database, snap: snap)
            return outcome
        }
    }

    /// Once every table of the snapshot is caught up: forgets vanished tables, records the views and triggers, completes it.
    func catchUpEpilogue(_ session: CatchUpSession, catalog: SchemaCatalog, prelude: CatchUpPrelude, label: String)
        throws
    {
        let database = prelude.database
        let snap = prelude.snap
        try withContext("Catching up snapshot `\(snap)` with `\(database)`", database: database) {
            let connection = session.connection
            let marker = Marker(connection: connection, database: snap)
            let deferred = Self.defersCaptureRemoval(connection)
            let live = Set(catalog.tables.map(\.name))
            for (name, _) in prelude.states where !live.contains(name) {
                try connection.execute("DROP TABLE IF EXISTS \(SQL.qualified(snap, name))")
                try marker.forgetTable(name)
            }
            if !deferred {
                for case (_, let changeLog?) in prelude.captures {
                    try connection.execute("DROP TABLE IF EXISTS \(SQL.qualified(snap, changeLog))")
                }
            }
            try marker.forgetCaptures()
            try marker.recordViews(catalog.views, of: database)
            // Whatever the parallel removal has not dropped yet goes now (or, inert, after the stop):
            // only the deployment's own triggers are kept.
            if !deferred { _ = try Self.dropCaptureTriggers(connection, database: database, label: label) }
            // The names the catalog read: nothing creates a trigger while OMS is stopped, and the
            // capture triggers dropped meanwhile are left out by their prefix.
            try marker.recordTriggers(
                try TriggerDefinition.all(
                    connection, in: database, excludingPrefix: Self.captureTriggerPrefix(label: label),
                    names: catalog.triggerNames))
            try marker.setMeta(.complete, quarantine: nil, source: database)
        }
    }

    /// Replaces the logged keys' rows by the live ones and records the derived checksum, in one transaction.
    private func applyChanges(
        _ session: CatchUpSession, marker: Marker, table: TableInfo, key: String, database: String,
        snap: String, changeLog: String, online: TableChecksum, createSHA256: String
    ) throws -> Int64 {
        let connection = session.connection
        let log = SQL.qualified(snap, changeLog)
        // Nothing writes (OMS is stopped, the capture switched off or dropped): the count outside the
        // transaction is the count inside it.
        let keys = try connection.int64("SELECT COUNT(*) FROM \(log)") ?? 0
        if keys == 0 {
            // Unchanged since the copy: the copy's checksum stands.
            try marker.recordTable(table.name, checksum: online, createSHA256: createSHA256, state: "copied")
            return 0
        }
        // The change log drives every statement (STRAIGHT_JOIN): one primary-key lookup per changed row,
        // never a scan of the large table, whatever the optimizer would pick for `IN (subquery)`. The
        // OceanBase kernel ignores STRAIGHT_JOIN's order for a merge join that scans the whole table (and
        // the rows the online pre-prune deleted until a compaction: 0.16-0.25 s a statement on the pruned
        // heartbeat table): there the optimizer hint asks for the lookups.
        let hint = Self.changeLogDrivenHint(connection)
        func changed(_ db: String) -> String {
            "\(log) AS c STRAIGHT_JOIN \(SQL.qualified(db, table.name)) AS src ON src.\(SQL.quoteIdentifier(key)) = c.\(Self.changeKey)"
        }
        let columns = table.storedColumns.map { SQL.quoteIdentifier($0.name) }.joined(separator: ", ")
        let sourceColumns = table.storedColumns.map { "src." + SQL.quoteIdentifier($0.name) }.joined(separator: ", ")
        try connection.execute("START TRANSACTION")
        do {
            let before = try Self.checksum(connection, table: table, from: changed(snap), database: snap, hint: hint)
            // MariaDB resolves the alias of a multi-table DELETE only with a default database.
            try session.use(snap)
            try connection.execute("DELETE \(hint)src FROM \(changed(snap))")
            try connection.execute(
                "INSERT INTO \(SQL.qualified(snap, table.name)) (\(columns)) SELECT \(hint)\(sourceColumns) FROM \(changed(database))"
            )
            // The copy's checksum minus the old rows plus the new ones, in the statement that sums the new ones.
            let (after, total) = try Self.checksum(
                connection, table: table, from: changed(snap), database: snap, hint: hint,
                replacing: before, in: online)
            let live = try Self.checksum(
                connection, table: table, from: changed(database), database: database, hint: hint)
            guard after == live else {
                throw MetaDumpError(
                    .inconsistent, action: "Catching up `\(database)`.`\(table.name)`",
                    reason: "the changed rows differ after the catch-up: live \(live), copy \(after)",
                    database: database, table: table.name,
                    remedy: "Something still writes to the table: make sure OMS is stopped, then resume.")
            }
            try marker.recordTable(table.name, checksum: total, createSHA256: createSHA256, state: "copied")
            try connection.execute("COMMIT")
            return keys
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Copies a table whole (no capture, or its definition changed since the online copy) and checks the copy.
    private func copyWhole(
        _ session: CatchUpSession, marker: Marker, table: TableInfo, create: String, database: String,
        snap: String
    ) throws {
        let connection = session.connection
        try connection.execute("DROP TABLE IF EXISTS \(SQL.qualified(snap, table.name))")
        try session.use(snap)
        try connection.execute(create)
        let columns = table.storedColumns.map { SQL.quoteIdentifier($0.name) }.joined(separator: ", ")
        try connection.execute(
            """
            INSERT INTO \(SQL.qualified(snap, table.name)) (\(columns)) SELECT \(columns) FROM \(SQL.qualified(database, table.name))
            """)
        let source = try TableChecksum.compute(connection, database: database, table: table)
        let copy = try TableChecksum.compute(connection, database: snap, table: table)
        guard source == copy else {
            throw MetaDumpError(
                .inconsistent, action: "Copying `\(database)`.`\(table.name)` at the stop",
                reason: "the source has \(source) but the copy has \(copy)", database: database,
                table: table.name, remedy: "Make sure OMS is stopped, then resume.")
        }
        try marker.recordTable(
            table.name, checksum: copy, createSHA256: DefinitionHash.createTable(create), state: "copied")
    }

    /// Gives the copy the live table's AUTO_INCREMENT counter, so that ids are not reused after a swap back.
    private func alignAutoIncrement(_ connection: Connection, table: String, database: String, snap: String) throws {
        // The OceanBase kernel reports no AUTO_INCREMENT in information_schema (NULL): nothing to align by.
        guard !connection.isOceanBase else { return }
        let counters = try connection.strings(
            """
            SELECT TABLE_SCHEMA = \(SQL.quoteString(database)), AUTO_INCREMENT FROM information_schema.TABLES \
            WHERE TABLE_SCHEMA IN (\(SQL.quoteString(database)), \(SQL.quoteString(snap))) AND TABLE_NAME = \(SQL.quoteString(table))
            """)
        let live = counters.first { $0[0] == "1" }.flatMap { $0[1] }.flatMap { Int64($0) }
        let copy = counters.first { $0[0] == "0" }.flatMap { $0[1] }.flatMap { Int64($0) }
        // ALTER TABLE is DDL (not free in the downtime): only when the copy's counter is behind.
        guard let next = live, copy.map({ $0 < next }) ?? true else { return }
        try connection.execute("ALTER TABLE \(SQL.qualified(snap, table)) AUTO_INCREMENT = \(next)")
    }

    /// The optimizer hint, with a trailing space, that makes a join of a change log `c` with a table
    /// `src` look each logged key up in `src` (a nested loop led by `c`): on the OceanBase kernel,
    /// which otherwise picks a merge join over a full scan of `src`; empty elsewhere (MariaDB's
    /// STRAIGHT_JOIN already does so, and it would read the hint as a comment).
    static func changeLogDrivenHint(_ connection: Connection) -> String {
        connection.isOceanBase ? "/*+ LEADING(c src) USE_NL(src) */ " : ""
    }

    /// The change-log table's column (a name no table of the deployment is expected to have).
    static let changeKey = "oms_cc_key"

    /// The checksum of the rows of `table` that `from` (a join yielding them as `src`) selects.
    ///
    /// `hint` (``changeLogDrivenHint(_:)``) goes right after `SELECT`.
    static func checksum(
        _ connection: Connection, table: TableInfo, from: String, database: String, hint: String = ""
    ) throws -> TableChecksum {
        let row = try checksumRow(connection, table: table, from: from, database: database, hint: hint, extra: "")
        return TableChecksum(
            rowCount: row.count, crc32Sum: row.values[0] ?? "0", reversedCRC32Sum: row.values[1] ?? "0")
    }

    /// The checksum of the rows `from` selects, and with it `whole` (a table's checksum) with the rows
    /// `old` summed replaced by these: `whole - old + new`, summed exactly by the server in the same statement.
    static func checksum(
        _ connection: Connection, table: TableInfo, from: String, database: String, hint: String,
        replacing old: TableChecksum, in whole: TableChecksum
    ) throws -> (rows: TableChecksum, whole: TableChecksum) {
        let (crc, reversed) = TableChecksum.rowHashes(table.storedColumns)
        let extra = """
            , CAST(\(whole.crc32Sum) AS DECIMAL(65,0)) - \(old.crc32Sum) + COALESCE(SUM(\(crc)), 0), \
            CAST(\(whole.reversedCRC32Sum) AS DECIMAL(65,0)) - \(old.reversedCRC32Sum) + COALESCE(SUM(\(reversed)), 0)
            """
        let row = try checksumRow(connection, table: table, from: from, database: database, hint: hint, extra: extra)
        let rows = TableChecksum(
            rowCount: row.count, crc32Sum: row.values[0] ?? "0", reversedCRC32Sum: row.values[1] ?? "0")
        let total = TableChecksum(
            rowCount: whole.rowCount - old.rowCount + row.count,
            crc32Sum: row.values[safe: 2].flatMap { $0 } ?? "?",
            reversedCRC32Sum: row.values[safe: 3].flatMap { $0 } ?? "?")
        return (rows, total)
    }

    /// `COUNT(*)` and the two sums of the rows `from` selects, then the columns of `extra` (with its leading comma).
    private static func checksumRow(
        _ connection: Connection, table: TableInfo, from: String, database: String, hint: String, extra: String
    ) throws -> (count: Int64, values: [String?]) {
        // Unqualified column names: the change log's only column is `oms_cc_key`, so they name `src`'s.
        let (crc, reversed) = TableChecksum.rowHashes(table.storedColumns)
        let sql = "SELECT \(hint)COUNT(*), COALESCE(SUM(\(crc)), 0), COALESCE(SUM(\(reversed)), 0)\(extra) FROM \(from)"
        let row = try connection.strings(sql).first ?? []
        guard row.count >= 3, let count = Int64(row[0] ?? "") else {
            throw MetaDumpError(
                .database, action: "Computing the checksum of `\(database)`.`\(table.name)`",
                reason: "the server returned no result", database: database, table: table.name)
        }
        return (count, Array(row.dropFirst()))
    }
}

extension Marker {
    /// Notes how a table's changes are captured: its change-log table, or none (copied whole at the stop).
    func recordCapture(_ tableName: String, changeLog: String?, ordinal: Int) throws {
        try connection.execute(
            """
            REPLACE INTO \(table) (kind, name, row_count, definition, state) VALUES \
            ('capture', \(SQL.quoteString(tableName)), \(ordinal), \(changeLog.map(SQL.quoteString) ?? "NULL"), 'online')
            """)
    }

    /// Table → its change-log table (nil: copied whole at the stop).
    func captures() throws -> [String: String?] {
        var result: [String: String?] = [:]
        for row in try connection.strings("SELECT name, definition FROM \(table) WHERE kind = 'capture'") {
            if let name = row[0] { result[name] = row[1] }
        }
        return result
    }

    func forgetCaptures() throws {
        try connection.execute("DELETE FROM \(table) WHERE kind = 'capture'")
    }

    func forgetTable(_ name: String) throws {
        try connection.execute("DELETE FROM \(table) WHERE kind = 'table' AND name = \(SQL.quoteString(name))")
    }

    /// A table's state (`online`: copied, not caught up; `copied`: final), checksum and definition hash.
    typealias TableState = (state: String, checksum: TableChecksum, createSHA256: String)

    /// Table → its state, checksum and definition hash.
    func tableStates() throws -> [String: TableState] {
        var result: [String: TableState] = [:]
        for row in try connection.strings(
            "SELECT name, state, row_count, crc32_sum, reversed_crc32_sum, create_sha256 FROM \(table) WHERE kind = 'table'"
        ) {
            guard let name = row[0] else { continue }
            let checksum = TableChecksum(
                rowCount: Int64(row[2] ?? "") ?? -1, crc32Sum: row[3] ?? "",
                reversedCRC32Sum: row[4] ?? "")
            result[name] = (row[1] ?? "", checksum, row[5] ?? "")
        }
        return result
    }
}
