import Foundation
import SandboxSupport

/// What must come back exactly after a rollback: each database's columns, and each table's row count and checksum.
enum DataFingerprint {
    /// One line per column and per table of `databases`, in order; only the columns of `schemaOnly`'s
    /// tables (the heartbeat database, which the running OMS writes and the upgrade prunes).
    static func of(_ databases: [String], schemaOnly: Set<String> = []) throws -> [String] {
        let mysql = try Sandbox.mysql()
        var lines: [String] = []
        for database in databases {
            let columns = try mysql.rows(
                """
                SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS
                WHERE TABLE_SCHEMA = \(SandboxMySQL.quoteString(database)) ORDER BY TABLE_NAME, ORDINAL_POSITION
                """)
            lines += columns.map { "\(database) column \($0.joined(separator: " "))" }
            for table in Set(columns.map { $0[0] }).sorted() where !schemaOnly.contains(database) {
                let name = "\(SandboxMySQL.quoteIdentifier(database)).\(SandboxMySQL.quoteIdentifier(table))"
                let count = try mysql.scalar("SELECT COUNT(*) FROM \(name)") ?? "?"
                let checksum = try mysql.rows("CHECKSUM TABLE \(name)").first?.last ?? "?"
                lines.append("\(database).\(table) rows \(count) checksum \(checksum)")
            }
        }
        return lines
    }

    /// The lines only one side has.
    static func difference(_ before: [String], _ after: [String]) -> String {
        let gone = Set(before).subtracting(after).sorted().map { "- \($0)" }
        let new = Set(after).subtracting(before).sorted().map { "+ \($0)" }
        return (gone + new).joined(separator: "\n")
    }
}
