import BlockingWork
import Foundation
import MetaDB
import MetaDump
import Synchronization

/// A catch-up session, handed from one phase of the catch-up to the next (never used by two threads at once).
final class CatchUpSession: @unchecked Sendable {
    let connection: Connection
    /// The session's default database as last set by ``use(_:)``.
    private var current: String?

    init(_ server: ConnectionOptions) throws {
        connection = try Session.open(server)
        do {
            // One statement where the server takes them all (each is a round trip at the stop); one by one
            // otherwise, where a setting the account may not change is left as it is.
            do {
                try connection.execute(
                    "SET SESSION time_zone = '+00:00', sql_mode = 'NO_AUTO_VALUE_ON_ZERO', lock_wait_timeout = 60, "
                        + "foreign_key_checks = 0, unique_checks = 0")
            } catch {
                try Session.normalize(connection)
                try connection.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'")
                Session.limitLockWait(connection)
                Session.prepareForBulkLoad(connection)
            }
            // Needs SUPER (or BINLOG ADMIN); without it the catch-up is still correct, only logged.
            _ = try? connection.execute("SET SESSION sql_log_bin = 0")
        } catch {
            connection.close()
            throw error
        }
    }

    /// Makes `database` the session's default database, unless it already is.
    func use(_ database: String) throws {
        guard current != database else { return }
        current = nil
        try connection.execute("USE \(SQL.quoteIdentifier(database))")
        current = database
    }

    func close() { connection.close() }
}

/// A value the catch-up's parallel jobs share, behind a lock.
final class CatchUpShelf<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) { self.value = Mutex(value) }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T { try value.withLock { try body(&$0) } }
}

/// A database's snapshot as the catch-up finds it, before its tables are caught up.
struct CatchUpPrelude: Sendable {
    var database: String
    var snap: String
    /// Already complete (or swapped): nothing to do.
    var done: Bool
    /// Table → its change-log table (nil: copied whole).
    var captures: [String: String?]
    /// Table → its state, the online copy's checksum and definition hash.
    var states: [String: Marker.TableState]
}

/// One table to catch up, and the database it belongs to.
struct CatchUpItem: Sendable {
    var prelude: Int
    var table: TableInfo
}

extension Snapshot {
    /// Sessions the catch-up uses at most for the tables of all databases together.
    public static let catchUpSessions = 8

    /// Brings each snapshot to the live state (OMS must be stopped) and completes it; finishes an interrupted catch-up.
    ///
    /// Three phases, each as parallel as the work allows: the live catalogs (one read for all databases)
    /// beside each snapshot's marker (one session per database); then the tables of all databases on a
    /// pool of at most ``catchUpSessions`` sessions, each table its own transaction with its marker row;
    /// then each snapshot's views, triggers and completion. `checkpoint` is called after each table (for
    /// the crash tests' kill points).
    public func catchUp(
        databases: [String], label: String,
        checkpoint: @escaping @Sendable () -> Void = {}
    ) async throws -> [CatchUpRecord] {
        try DatabaseNames.validateLabel(label)
        guard !databases.isEmpty else { return [] }
        let worker = self
        let server = self.server
        let sessions = CatchUpShelf<[CatchUpSession]>([])
        defer { for session in sessions.withLock({ $0 }) { session.close() } }
        // The live catalogs of all databases, each information_schema read (tens to hundreds of milliseconds
        // on the OceanBase kernel) on a session of its own, the sessions then kept for the tables. The key is
        // used only for a table whose capture the online copy set up on it (an exact read) and whose
        // definition is unchanged since (the hash check in the catch-up).
        async let catalogRead = Self.readCatalogs(databases, server: server, keeping: sessions)
        let preludes: [CatchUpPrelude]
        do {
            preludes = try await BlockingPool.shared.map(databases, width: databases.count) { database in
                let session = try withContext("Catching up the snapshot of `\(database)`", database: database) {
                    try CatchUpSession(server)
                }
                sessions.withLock { $0.append(session) }
                return try worker.catchUpPrelude(session, database: database, label: label)
            }
        } catch {
            _ = try? await catalogRead
            throw error
        }
        let catalogs = try await catalogRead
        // The largest tables first (the online copy's row counts; a table new since then, copied whole, before
        // them): they are the likeliest to have changed, and their work is the longest.
        let items = preludes.indices.flatMap { index -> [CatchUpItem] in
            let prelude = preludes[index]
            guard !prelude.done else { return [] }
            return (catalogs[prelude.database]?.tables ?? []).filter { prelude.states[$0.name]?.state != "copied" }
                .map { CatchUpItem(prelude: index, table: $0) }
        }.sorted { rows($0) > rows($1) }
        func rows(_ item: CatchUpItem) -> Int64 {
            preludes[item.prelude].states[item.table.name]?.checksum.rowCount ?? .max
        }
        let outcomes = CatchUpShelf<[Int: (keys: Int64, whole: Set<String>)]>([:])
        let catchUpTable: @Sendable (inout CatchUpSession, CatchUpItem) throws -> Void = { session, item in
            let outcome = try worker.catchUpTable(session, item.table, prelude: preludes[item.prelude])
            outcomes.withLock {
                $0[item.prelude, default: (0, [])].keys += outcome.keys
                if outcome.copiedWhole { $0[item.prelude, default: (0, [])].whole.insert(item.table.name) }
            }
            checkpoint()
        }
        try await BlockingPool.shared.forEach(
            items, workers: Self.catchUpSessions,
            makeState: { () throws -> CatchUpSession in
                if let idle = sessions.withLock({ $0.popLast() }) { return idle }
                return try CatchUpSession(server)
            },
            finish: { session in sessions.withLock { $0.append(session) } }, catchUpTable)
        let done = outcomes.withLock { $0 }
        return try await BlockingPool.shared.map(Array(preludes.indices), width: preludes.count) { index in
            let prelude = preludes[index]
            let catalog = catalogs[prelude.database]
            let record = CatchUpRecord(
                database: prelude.database, changedKeys: done[index]?.keys ?? 0,
                tablesCopiedWhole: (catalog?.tables ?? []).map(\.name).filter {
                    done[index]?.whole.contains($0) ?? false
                }
            )
            guard !prelude.done, let catalog else { return record }
            let session = try sessions.withLock { $0.popLast() } ?? CatchUpSession(server)
            defer { sessions.withLock { $0.append(session) } }
            try worker.catchUpEpilogue(session, catalog: catalog, prelude: prelude, label: label)
            return record
        }
    }

    /// The catalogs of `databases`, their `information_schema` reads in parallel, each on a new session
    /// that is then put on `shelf`.
    private static func readCatalogs(
        _ databases: [String], server: ConnectionOptions, keeping shelf: CatchUpShelf<[CatchUpSession]>
    ) async throws -> [String: SchemaCatalog] {
        guard !databases.isEmpty else { return [:] }
        let parts = SchemaCatalog.parts(keysFromColumns: true)
        let action = "Reading the tables of \(databases.map { "`\($0)`" }.joined(separator: ", "))"
        let rows = try await BlockingPool.shared.map(parts, width: parts.count) { part in
            try withContext(action) {
                let session = try CatchUpSession(server)
                shelf.withLock { $0.append(session) }
                return try session.connection.strings(SchemaCatalog.query(part, databases: databases))
            }
        }
        return try withContext(action) {
            try SchemaCatalog.assemble(
                databases: databases, rows: Dictionary(uniqueKeysWithValues: zip(parts, rows)), keysFromColumns: true)
        }
    }
}
