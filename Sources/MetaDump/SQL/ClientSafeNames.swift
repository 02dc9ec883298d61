import MetaDB

/// Refuses names that the stock `mysql`/`mariadb` client would misread in any dump file.
///
/// The client treats a backslash inside a backtick-quoted name as an escape, the
/// server does not: in `` `a\`` `` the client takes `` \` `` as an escaped backtick
/// and falls out of step with the server, so that the rest of the name is read as
/// code, where a client command such as `\u other_db` would run. The client also reads
/// a carriage return before a newline as a line end and drops it. A name holding a
/// backslash followed by a backtick, ending in a backslash, or holding CR LF cannot be
/// written so that both read it alike; such a backup is refused before anything is written.
enum ClientSafeNames {
    /// Whether the client and the server read `SQL.quoteIdentifier(name)` alike.
    static func isSafe(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        return !zip(scalars, scalars.dropFirst()).contains { ($0 == "\\" && $1 == "`") || ($0 == "\r" && $1 == "\n") }
            && scalars.last != "\\"
    }

    /// Throws naming every object of `databases` whose name is not ``isSafe(_:)``.
    static func check(_ connection: Connection, databases: [String]) throws {
        var bad = databases.filter { !isSafe($0) }.map { "database " + SQLComment.identifier($0) }
        for database in databases {
            let schema = SQL.hexLiteral(Array(database.utf8))
            let rows = try connection.strings(
                """
                SELECT 'table', TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(schema) \
                UNION ALL SELECT 'column', COLUMN_NAME FROM information_schema.COLUMNS \
                WHERE TABLE_SCHEMA = \(schema) \
                UNION ALL SELECT 'trigger', TRIGGER_NAME FROM information_schema.TRIGGERS \
                WHERE TRIGGER_SCHEMA = \(schema) \
                UNION ALL SELECT 'routine', ROUTINE_NAME FROM information_schema.ROUTINES \
                WHERE ROUTINE_SCHEMA = \(schema)
                """)
            // The OceanBase kernel has no information_schema.EVENTS (1109): no events there.
            let events =
                (try? connection.strings(
                    "SELECT 'event', EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = \(schema)")) ?? []
            for row in rows + events {
                guard let kind = row[0], let name = row[1] else { continue }
                if !isSafe(name) {
                    bad.append("\(kind) \(SQLComment.identifier(database)).\(SQLComment.identifier(name))")
                }
            }
        }
        guard bad.isEmpty else {
            let names = databases.map(SQLComment.identifier).joined(separator: ", ")
            throw MetaDumpError(
                .unsupported, action: "Backing up \(names)",
                reason: "these names hold a backslash before a backtick or at their end, or a carriage "
                    + "return before a newline, which the stock "
                    + "mysql/mariadb client misreads (part of the name would run as a client command): "
                    + bad.prefix(10).joined(separator: ", "),
                remedy: "Rename them (RENAME TABLE, ALTER TABLE … RENAME COLUMN), then back up again. "
                    + "Nothing was written.")
        }
    }
}
