import MetaDB

/// A trigger's `CREATE` statement made portable (no DEFINER, no own-database qualifier) and its sql_mode.
package struct TriggerDefinition: Sendable, Hashable, Codable {
    package var name: String
    var statement: String
    var sqlMode: String
    var definer: String?

    /// Reads every trigger of `database` through `SHOW CREATE TRIGGER`, leaving out those whose
    /// name starts with `excludingPrefix` (not read at all: one statement each).
    ///
    /// `names`: the database's trigger names in creation order, when the caller has just read them
    /// (``SchemaCatalog/triggerNames``) and nothing can have created one since; otherwise they are read.
    package static func all(
        _ connection: Connection, in database: String, excludingPrefix: String? = nil, names known: [String]? = nil
    ) throws -> [TriggerDefinition] {
        let names = try
            (known
            ?? connection.strings(
                """
                SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = \(SQL.quoteString(database)) \
                ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER, TRIGGER_NAME
                """
            ).compactMap { $0[0] }).filter { name in excludingPrefix.map { !name.hasPrefix($0) } ?? true }
        return try names.compactMap { name in
            guard let row = try connection.strings("SHOW CREATE TRIGGER \(SQL.qualified(database, name))").first,
                row.count > 2, let text = row[2]
            else { return nil }
            let portable = ViewDefinition(
                name: name, showCreateView: text, database: database, foldingCase: connection.isOceanBase)
            return TriggerDefinition(
                name: name, statement: portable.statement, sqlMode: (row[1] ?? "").replacing("'", with: ""),
                definer: portable.definer)
        }
    }

    /// Creates the trigger in `database` under its own sql_mode, then restores the session's.
    package func create(_ connection: Connection, in database: String) throws {
        let previous = try connection.text("SELECT @@SESSION.sql_mode") ?? ""
        try connection.execute("USE \(SQL.quoteIdentifier(database))")
        try connection.execute("SET SESSION sql_mode = \(SQL.quoteString(sqlMode))")
        defer { _ = try? connection.execute("SET SESSION sql_mode = \(SQL.quoteString(previous))") }
        try connection.execute("DROP TRIGGER IF EXISTS \(SQL.quoteIdentifier(name))")
        try connection.createTriggerTolerantly(statement, database: database, name: name)
    }
}
