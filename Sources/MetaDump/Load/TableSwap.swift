import MetaDB

/// The atomic exchange of a database's tables: one `RENAME TABLE` moves the live tables aside and others in.
///
/// `RENAME TABLE a TO q.a, s.a TO a, …` is atomic: either every rename happens
/// or none. Its time does not depend on the data size. Views cannot be renamed
/// across databases, so they are dropped and created again from definitions.
package enum TableSwap {
    /// The table in a quarantine database that keeps the definitions of the views (and triggers) it replaced.
    static let quarantinedViewsTable = "__oms_quarantined_views"

    /// Moves every base table of `live` into `quarantine` and `incoming` (tables of `source`) into `live`.
    ///
    /// Views of `live` are dropped first (their definitions saved in `quarantine`),
    /// and `views` are created in `live` afterwards. `quarantine` is created when
    /// there is anything to move into it. Returns the tables moved aside.
    ///
    /// RENAME TABLE cannot move a table with triggers to another database either:
    /// the live tables' triggers are dropped first (their definitions saved in
    /// `quarantine`), those of `source` too, and `triggers` are created in `live` last.
    @discardableResult
    package static func swap(
        _ connection: Connection, live: String, source: String, incoming: [String], quarantine: String,
        characterSet: String, collation: String, views: [ViewDefinition],
        triggers: [TriggerDefinition] = []
    ) throws -> [String] {
        let current = try connection.tableNames(live)
        let liveTriggers = try TriggerDefinition.all(connection, in: live)
        // ``prepare(_:live:quarantine:characterSet:collation:)`` may have done this before the stop.
        let ready = try preparedState(connection, quarantine: quarantine)
        if (!current.tables.isEmpty || !current.views.isEmpty) && !ready.database {
            try connection.execute(createDatabase(quarantine, characterSet: characterSet, collation: collation))
        }
        if (!current.views.isEmpty || !liveTriggers.isEmpty) && !ready.table {
            try createDefinitionsTable(connection, quarantine: quarantine)
        }
        for trigger in liveTriggers {
            if !ready.saved.contains("trigger " + trigger.name) {
                try saveDefinition(connection, quarantine: quarantine, "trigger " + trigger.name, trigger.statement)
            }
            try connection.execute("DROP TRIGGER IF EXISTS \(SQL.qualified(live, trigger.name))")
        }
        for trigger in try TriggerDefinition.all(connection, in: source) {
            try connection.execute("DROP TRIGGER IF EXISTS \(SQL.qualified(source, trigger.name))")
        }
        for view in current.views {
            if !ready.saved.contains(view) {
                let text = try connection.showCreateView(live, view)
                let definition = ViewDefinition(
                    name: view, showCreateView: text, database: live, foldingCase: connection.isOceanBase)
                try saveDefinition(connection, quarantine: quarantine, view, definition.statement)
            }
            try connection.execute("DROP VIEW IF EXISTS \(SQL.qualified(live, view))")
        }
        var pairs: [String] = []
        for table in current.tables {
            pairs.append("\(SQL.qualified(live, table)) TO \(SQL.qualified(quarantine, table))")
        }
        for table in incoming {
            pairs.append("\(SQL.qualified(source, table)) TO \(SQL.qualified(live, table))")
        }
        let clash =
            connection.isOceanBase && !current.tables.isEmpty && !incoming.isEmpty
            ? try foreignKeyNamesClash(connection, live: live, source: source, incoming: incoming) : false
        if clash {
            // The OceanBase kernel checks foreign-key names against the target database as it was
            // before the statement: moving a table in whose constraint name a live table also has
            // fails with 1022 even when that live table moves out in the same RENAME. Then (only
            // then: each RENAME is hundreds of milliseconds there) move the live tables out first,
            // then the incoming ones in. Interrupted in between, the marker still says `swapping`
            // and the snapshot's tables are where they were, so the next swap back moves them in
            // (nothing is left in `live` to move out).
            let split = current.tables.count
            try connection.execute("RENAME TABLE " + pairs[..<split].joined(separator: ", "))
            try connection.execute("RENAME TABLE " + pairs[split...].joined(separator: ", "))
        } else if !pairs.isEmpty {
            try connection.execute("RENAME TABLE " + pairs.joined(separator: ", "))
        }
        try createViews(connection, in: live, views)
        for trigger in triggers { try trigger.create(connection, in: live) }
        return current.tables
    }

    /// Whether a foreign key of a table of `live` has the name of one of an `incoming` table of
    /// `source` (foreign-key names are unique per database).
    static func foreignKeyNamesClash(_ connection: Connection, live: String, source: String, incoming: [String])
        throws -> Bool
    {
        let moving = Set(incoming)
        var names: [String: Set<String>] = [live: [], source: []]
        for row in try connection.strings(
            """
            SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS \
            WHERE CONSTRAINT_SCHEMA IN (\(SQL.quoteString(live)), \(SQL.quoteString(source)))
            """)
        {
            guard let schema = row[0], let table = row[1], let name = row[2] else { continue }
            if schema == source && !moving.contains(table) { continue }
            names[schema, default: []].insert(name.lowercased())
        }
        return !(names[live] ?? []).isDisjoint(with: names[source] ?? [])
    }

    /// Before the stop, where DDL is slow: creates `quarantine` and its definitions table and saves the
    /// definitions of `live`'s views and triggers there, so that the swap in the outage only drops them
    /// and renames. The swap does whatever this did not (a view or trigger created since). Idempotent.
    package static func prepare(
        _ connection: Connection, live: String, quarantine: String, characterSet: String, collation: String
    ) throws {
        let ready = try preparedState(connection, quarantine: quarantine)
        if !ready.database {
            try connection.execute(createDatabase(quarantine, characterSet: characterSet, collation: collation))
        }
        if !ready.table { try createDefinitionsTable(connection, quarantine: quarantine) }
        for trigger in try TriggerDefinition.all(connection, in: live) {
            try saveDefinition(connection, quarantine: quarantine, "trigger " + trigger.name, trigger.statement)
        }
        for view in try connection.tableNames(live).views {
            let text = try connection.showCreateView(live, view)
            let definition = ViewDefinition(
                name: view, showCreateView: text, database: live, foldingCase: connection.isOceanBase)
            try saveDefinition(connection, quarantine: quarantine, view, definition.statement)
        }
    }

    /// Whether `quarantine` and its definitions table exist, and the names saved there.
    private static func preparedState(_ connection: Connection, quarantine: String) throws -> (
        database: Bool, table: Bool, saved: Set<String>
    ) {
        let row =
            try connection.strings(
                """
                SELECT (SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(SQL.quoteString(quarantine))), \
                (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SQL.quoteString(quarantine)) \
                AND TABLE_NAME = \(SQL.quoteString(quarantinedViewsTable)))
                """
            ).first ?? []
        let database = (row[safe: 0] ?? nil).flatMap { Int($0) }.map { $0 > 0 } ?? false
        let table = (row[safe: 1] ?? nil).flatMap { Int($0) }.map { $0 > 0 } ?? false
        guard table else { return (database, false, []) }
        let saved = try connection.strings("SELECT name FROM \(SQL.qualified(quarantine, quarantinedViewsTable))")
            .compactMap { $0[0] }
        return (database, true, Set(saved))
    }

    private static func createDefinitionsTable(_ connection: Connection, quarantine: String) throws {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS \(SQL.qualified(quarantine, quarantinedViewsTable)) \
            (name varchar(200) NOT NULL PRIMARY KEY, definition longtext NOT NULL) DEFAULT CHARSET=utf8mb4
            """)
    }

    private static func saveDefinition(_ connection: Connection, quarantine: String, _ name: String, _ text: String)
        throws
    {
        try connection.execute(
            """
            REPLACE INTO \(SQL.qualified(quarantine, quarantinedViewsTable)) VALUES \
            (\(SQL.quoteString(name)), \(SQL.quoteString(text)))
            """)
    }

    /// Creates `views` in `database` (replacing any of the same name), each after the views it uses.
    package static func createViews(_ connection: Connection, in database: String, _ views: [ViewDefinition]) throws {
        guard !views.isEmpty else { return }
        try connection.execute("USE \(SQL.quoteIdentifier(database))")
        for view in ViewDefinition.dependencyOrder(views) {
            try connection.execute("DROP VIEW IF EXISTS \(SQL.quoteIdentifier(view.name))")
            try connection.execute(view.statement)
        }
    }

    /// `CREATE DATABASE IF NOT EXISTS` with a character set and collation when known.
    package static func createDatabase(_ name: String, characterSet: String, collation: String) -> String {
        var sql = "CREATE DATABASE IF NOT EXISTS \(SQL.quoteIdentifier(name))"
        // Names from information_schema or a manifest: accept only plain words.
        func plain(_ s: String) -> Bool {
            !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
        if plain(characterSet) { sql += " CHARACTER SET \(characterSet)" }
        if plain(collation) { sql += " COLLATE \(collation)" }
        return sql
    }
}
