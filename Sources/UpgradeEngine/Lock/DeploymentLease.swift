import Foundation
import MetaDB

/// A deployment's lock as a lease record on the metadata server, for servers that never free a
/// dead session's `GET_LOCK` (the OceanBase kernel).
///
/// One row per deployment in `oms_upgrade_lock.lease` names the holder (host, pid, run, command)
/// and carries a random token and an expiry in the server's clock. The holder renews it while
/// the run lives; another run takes it only once it has expired. Taking and renewing are single
/// statements on the row (an `INSERT IGNORE` of a fresh row, or an `UPDATE … WHERE expires <
/// NOW(6)`; a renewal `UPDATE … WHERE token = mine`), so two holders never hold it at once, and a
/// run killed with SIGKILL frees the deployment after at most one lease time.
struct DeploymentLease: Sendable {
    /// The database and table of the lease records.
    static let database = "oms_upgrade_lock"
    static let table = SQL.qualified(database, "lease")

    /// The lock's name (one row per deployment).
    let name: String
    /// This process's random token: only it renews or frees the row, and it takes its own row
    /// back at once (after a server restart dropped its connection).
    let token: String
    let holder: LockFile
    /// The lease's length (``LockTiming/leaseSeconds``: at least three background checks).
    let seconds: Int

    /// One token per process.
    static let processToken = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()

    init(name: String, holder: LockFile, seconds: Int) {
        self.name = name
        self.holder = holder
        self.seconds = seconds
        token = Self.processToken
    }

    /// Creates the lease table when it is missing (once per server: DDL is slow on OceanBase).
    static func ensureTable(_ connection: AsyncConnection) async throws {
        let exists = try await connection.scalar(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SQL.quoteString(database)) "
                + "AND TABLE_NAME = 'lease'")
        guard exists.int64 != 1 else { return }
        try await connection.execute("CREATE DATABASE IF NOT EXISTS \(SQL.quoteIdentifier(database))")
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS \(table) (
              name VARCHAR(64) NOT NULL PRIMARY KEY,
              token CHAR(32) NOT NULL,
              host VARCHAR(255) NOT NULL,
              pid BIGINT NOT NULL,
              run_id VARCHAR(255) NOT NULL,
              command VARCHAR(64) NOT NULL,
              since DATETIME(6) NOT NULL,
              renewed DATETIME(6) NOT NULL,
              expires DATETIME(6) NOT NULL
            ) DEFAULT CHARSET = utf8mb4
            """)
    }

    private var expiry: String { "NOW(6) + INTERVAL \(seconds) SECOND" }

    /// Takes the lease if it is free, expired or this process's own; true when this holder has it now.
    func tryTake(_ connection: AsyncConnection) async throws -> Bool {
        let values = [
            SQL.quoteString(name), SQL.quoteString(token), SQL.quoteString(holder.host), String(holder.pid),
            SQL.quoteString(holder.runID), SQL.quoteString(holder.command),
        ]
        let inserted = try await connection.execute(
            "INSERT IGNORE INTO \(Self.table) (name, token, host, pid, run_id, command, since, renewed, expires) "
                + "VALUES (\(values.joined(separator: ", ")), NOW(6), NOW(6), \(expiry))")
        if inserted.affectedRows == 1 { return true }
        let taken = try await connection.execute(
            """
            UPDATE \(Self.table) SET token = \(values[1]), host = \(values[2]), pid = \(values[3]), \
            run_id = \(values[4]), command = \(values[5]), since = NOW(6), renewed = NOW(6), expires = \(expiry) \
            WHERE name = \(values[0]) AND (expires < NOW(6) OR token = \(values[1]))
            """)
        return taken.affectedRows == 1
    }

    /// Renews the lease; false when another holder took it (after it expired) or it is gone.
    func renew(_ connection: AsyncConnection) async throws -> Bool {
        let result = try await connection.execute(
            "UPDATE \(Self.table) SET renewed = NOW(6), expires = \(expiry) "
                + "WHERE name = \(SQL.quoteString(name)) AND token = \(SQL.quoteString(token))")
        return result.affectedRows == 1
    }

    /// Frees the lease if this holder still has it.
    func release(_ connection: AsyncConnection) async throws {
        try await connection.execute(
            "DELETE FROM \(Self.table) WHERE name = \(SQL.quoteString(name)) AND token = \(SQL.quoteString(token))")
    }

    /// Who holds the lease named `name` now, with its age, or nil when it is free or expired.
    static func currentHolder(_ connection: AsyncConnection, name: String) async throws -> String? {
        let exists = try await connection.scalar(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SQL.quoteString(database)) "
                + "AND TABLE_NAME = 'lease'")
        guard exists.int64 == 1 else { return nil }
        let rows = try await connection.query(
            """
            SELECT run_id, command, pid, host, TIMESTAMPDIFF(SECOND, since, NOW(6)), \
            TIMESTAMPDIFF(SECOND, renewed, NOW(6)), TIMESTAMPDIFF(SECOND, NOW(6), expires) \
            FROM \(table) WHERE name = \(SQL.quoteString(name)) AND expires >= NOW(6)
            """
        ).rows
        guard let row = rows.first, row.count == 7 else { return nil }
        let text = row.values.map { $0.string ?? "?" }
        return "run \(text[0]) (\(text[1]), pid \(text[2]) on \(text[3]); lease held for \(text[4]) s, "
            + "renewed \(text[5]) s ago, expires in \(text[6]) s unless renewed)"
    }
}
