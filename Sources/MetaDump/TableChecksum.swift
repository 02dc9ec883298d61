import MetaDB

/// The row count and two order-independent content hashes of a table, computed on the server.
///
/// Per row, the stored (non-generated) columns are joined as
/// `CONCAT_WS('#', ISNULL(c1), CAST(c1 AS BINARY), …)` (the `ISNULL` marker makes
/// NULL differ from ''); the table's sums are `SUM(CRC32(row))` and
/// `SUM(first 60 bits of MD5(row))`. Sums do not depend on row order, so a dump
/// and its restore compare equal however the rows were inserted. It uses only
/// functions that MySQL 5.7/8.0, MariaDB and OceanBase's MySQL mode share (no
/// `CHECKSUM TABLE`, whose result depends on the row format).
public struct TableChecksum: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `COUNT(*)`.
    public var rowCount: Int64
    /// `SUM(CRC32(row))` as decimal text (exact, beyond 64 bits).
    public var crc32Sum: String
    /// `SUM(CONV(SUBSTRING(MD5(row), 1, 15), 16, 10))` as decimal text.
    public var md5Sum: String

    /// Creates a checksum from its parts.
    public init(rowCount: Int64, crc32Sum: String, md5Sum: String) {
        self.rowCount = rowCount
        self.crc32Sum = crc32Sum
        self.md5Sum = md5Sum
    }

    /// `1234 rows, crc 5678…, md5 9012…`.
    public var description: String { "\(rowCount) rows, crc32 sum \(crc32Sum), md5 sum \(md5Sum)" }

    /// The `SELECT` that computes the checksum of `database`.`table` over `columns` (stored columns, in order).
    static func query(database: String, table: String, columns: [ColumnInfo]) -> String {
        let row = rowExpression(columns)
        return """
            SELECT COUNT(*), COALESCE(SUM(CRC32(\(row))), 0), \
            COALESCE(SUM(CAST(CONV(SUBSTRING(MD5(\(row)), 1, 15), 16, 10) AS UNSIGNED)), 0) \
            FROM \(SQL.qualified(database, table))
            """
    }

    /// The per-row expression: every column with a NULL marker, as bytes.
    static func rowExpression(_ columns: [ColumnInfo]) -> String {
        guard !columns.isEmpty else { return "''" }
        var parts: [String] = []
        for column in columns {
            let name = SQL.quoteIdentifier(column.name)
            parts.append("ISNULL(\(name))")
            // MySQL's JSON has no binary cast of its text; its string form is utf8mb4 already.
            parts.append(column.dataType == "json" ? name : "CAST(\(name) AS BINARY)")
        }
        return "CONCAT_WS('#', " + parts.joined(separator: ", ") + ")"
    }

    /// Computes the checksum of `database`.`table` on `connection` (inside its current transaction, if any).
    static func compute(_ connection: Connection, database: String, table: TableInfo) throws -> TableChecksum {
        let rows = try connection.strings(query(database: database, table: table.name, columns: table.storedColumns))
        guard let row = rows.first, let count = Int64(row[0] ?? "") else {
            throw MetaDumpError(.database, action: "Computing the checksum of `\(database)`.`\(table.name)`",
                                reason: "the server returned no result", database: database, table: table.name)
        }
        return TableChecksum(rowCount: count, crc32Sum: row[1] ?? "0", md5Sum: row[2] ?? "0")
    }
}
