import Foundation
import MetaDB

/// Read-only questions the plan asks of the metadata server: sizes, tables, privileges.
public enum MetadataInspector {
    /// Size estimates per database from information_schema (cheap; InnoDB row counts are estimates).
    ///
    /// The OceanBase kernel reports `TABLE_ROWS` 0 until `ANALYZE TABLE` and no `DATA_LENGTH` at
    /// all: there the rows are counted (`COUNT(*)`, fast on its storage) and the bytes are what
    /// `oceanbase.DBA_OB_TABLE_SPACE_USAGE` says the tables and their indexes occupy.
    public static func sizes(_ connection: AsyncConnection, databases: [String]) async throws -> [UpgradePlan
        .DatabaseSize]
    {
        if Connection.isOceanBase(serverVersion: connection.serverVersion) {
            return try await oceanBaseSizes(connection, databases: databases)
        }
        let list = databases.map(SQL.quoteString).joined(separator: ", ")
        let result = try await connection.query(
            """
            SELECT TABLE_SCHEMA, COUNT(*), COALESCE(SUM(TABLE_ROWS), 0), COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0)
            FROM information_schema.TABLES
            WHERE TABLE_SCHEMA IN (\(list)) AND TABLE_TYPE = 'BASE TABLE'
            GROUP BY TABLE_SCHEMA
            """)
        var byName: [String: UpgradePlan.DatabaseSize] = [:]
        for row in result.rows {
            let name = row[0].string ?? ""
            byName[name] = UpgradePlan.DatabaseSize(
                database: name, tables: Int(row[1].int64 ?? 0),
                rows: row[2].int64 ?? Int64(row[2].double ?? 0), bytes: row[3].int64 ?? Int64(row[3].double ?? 0))
        }
        return databases.map { byName[$0] ?? UpgradePlan.DatabaseSize(database: $0, tables: 0, rows: 0, bytes: 0) }
    }

    /// True sizes on the OceanBase kernel: counted rows, occupied bytes.
    private static func oceanBaseSizes(_ connection: AsyncConnection, databases: [String]) async throws
        -> [UpgradePlan.DatabaseSize]
    {
        var sizes: [UpgradePlan.DatabaseSize] = []
        for database in databases {
            let tables = try await connection.query(
                """
                SELECT TABLE_NAME FROM information_schema.TABLES
                WHERE TABLE_SCHEMA = \(SQL.quoteString(database)) AND TABLE_TYPE = 'BASE TABLE'
                """
            ).rows.compactMap { $0[0].string }
            var rows: Int64 = 0
            for table in tables {
                rows += try await connection.scalar("SELECT COUNT(*) FROM \(SQL.qualified(database, table))").int64 ?? 0
            }
            // The view may be out of reach for a tenant user: then the bytes are unknown (0).
            let bytes =
                (try? await connection.scalar(
                    """
                    SELECT COALESCE(SUM(OCCUPY_SIZE), 0) FROM oceanbase.DBA_OB_TABLE_SPACE_USAGE
                    WHERE DATABASE_NAME = \(SQL.quoteString(database))
                    """))?.int64 ?? 0
            sizes.append(UpgradePlan.DatabaseSize(database: database, tables: tables.count, rows: rows, bytes: bytes))
        }
        return sizes
    }

    /// The databases among `names` that exist on the server.
    public static func existingDatabases(_ connection: AsyncConnection, among names: [String]) async throws -> Set<
        String
    > {
        let list = names.map(SQL.quoteString).joined(separator: ", ")
        let result = try await connection.query(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (\(list))")
        return Set(result.rows.compactMap { $0[0].string })
    }

    /// Whether `table` exists in `database`.
    public static func tableExists(_ connection: AsyncConnection, database: String, table: String) async throws -> Bool
    {
        let count = try await connection.scalar(
            """
            SELECT COUNT(*) FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = \(SQL.quoteString(database)) AND TABLE_NAME = \(SQL.quoteString(table))
            """)
        return count.int64 == 1
    }

    /// The heartbeat table's row estimate and highest id (nil when empty).
    public static func heartbeatStatus(_ connection: AsyncConnection, database: String) async throws -> (
        rows: Int64, maxID: Int64?
    ) {
        let table = SQL.qualified(database, "heatbeat_sequence")
        let maxID = try await connection.scalar("SELECT MAX(id) FROM \(table)").int64
        if Connection.isOceanBase(serverVersion: connection.serverVersion) {
            // TABLE_ROWS is 0 there until ANALYZE TABLE; counting is fast on its storage.
            return (try await connection.scalar("SELECT COUNT(*) FROM \(table)").int64 ?? 0, maxID)
        }
        let estimate = try await connection.scalar(
            """
            SELECT TABLE_ROWS FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = \(SQL.quoteString(database)) AND TABLE_NAME = 'heatbeat_sequence'
            """)
        return (estimate.int64 ?? 0, maxID)
    }

    /// The privileges an upgrade needs on every database, because it creates sibling snapshot and quarantine databases.
    public static let requiredGlobalPrivileges = [
        "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "INDEX", "CREATE VIEW", "SHOW VIEW",
    ]

    /// The required privileges the current user lacks at the global (`*.*`) level; empty when it has them all.
    public static func missingGlobalPrivileges(_ connection: AsyncConnection) async throws -> [String] {
        let grants = try await connection.query("SHOW GRANTS FOR CURRENT_USER()")
        var held = Set<String>()
        for row in grants.rows {
            guard let line = row[0].string?.uppercased(), line.hasPrefix("GRANT ") else { continue }
            guard let onRange = line.range(of: " ON ") else { continue }
            let scope = line[onRange.upperBound...].split(separator: " ").first.map(String.init) ?? ""
            guard scope == "*.*" else { continue }
            let privileges = line[line.index(line.startIndex, offsetBy: 6)..<onRange.lowerBound]
            for privilege in privileges.split(separator: ",") {
                held.insert(privilege.trimmingCharacters(in: .whitespaces))
            }
        }
        if held.contains("ALL PRIVILEGES") || held.contains("ALL") { return [] }
        return requiredGlobalPrivileges.filter { !held.contains($0) }
    }
}
