import BlockingWork
import Foundation
import MetaDB

extension Restorer {
    /// Points the views that a mysqldump file created in `database` at `database` itself, not at `original`.
    ///
    /// The OceanBase kernel's `SHOW CREATE VIEW`, and so its mysqldump, names the view's own database in
    /// every table reference (MariaDB's leaves it out): restored under another name, such a view would
    /// read the original database's tables. Each view that names `original` is replaced by the same
    /// definition without that qualifier; nothing else changes.
    func pointViewsAtOwnDatabase(_ database: String, original: String) async throws {
        guard database != original else { return }
        let server = self.server
        try await BlockingPool.shared.run {
            let connection = try Session.open(server, database: database)
            defer { connection.close() }
            try withContext("Pointing the views of `\(database)` at their own database", database: database) {
                for view in try connection.tableNames(database).views {
                    let row = try connection.strings("SHOW CREATE VIEW \(SQL.qualified(database, view))").first ?? []
                    guard row.count > 1, let text = row[1] else { continue }
                    let local = ViewDefinition.removeQualifier(
                        original, from: text, foldingCase: connection.isOceanBase)
                    guard local != text, let replacing = Self.orReplace(local) else { continue }
                    try connection.execute(replacing)
                }
            }
        }
    }

    /// `CREATE …` as `CREATE OR REPLACE …`, or nil for a text that does not start with `CREATE`.
    static func orReplace(_ statement: String) -> String? {
        guard let range = statement.range(of: #"^\s*CREATE\s+"#, options: [.regularExpression, .caseInsensitive])
        else { return nil }
        return "CREATE OR REPLACE " + statement[range.upperBound...]
    }
}
