import BlockingWork
import MetaDB

/// Puts a backup's views, triggers, routines and events into a live database whose tables were just swapped in.
///
/// ``TableSwap`` moves tables and drops the live views and triggers (their definitions kept in the
/// quarantine database); routines and events stay with a database, not a table, so the live ones are
/// saved to the quarantine database's definitions table and dropped here, and then every object read
/// from the staging database is created in the live one with its original definer, sql_mode and
/// character set, in creation order.
public enum ObjectReplacement {
    /// Makes the objects of `database` exactly `objects`: routines and events not among them are saved to
    /// `quarantine`'s definitions table and dropped, and every object is created again from its definition
    /// (with its definer). Used after a snapshot swap, which moves tables only and recreates views and
    /// triggers without their definers; idempotent.
    public static func putBack(
        server: ConnectionOptions, database: String, quarantine: String?, objects: [ObjectDefinition]
    ) async throws {
        try await BlockingPool.shared.run {
            try withContext("Putting back the views, triggers and routines of `\(database)`", database: database) {
                let connection = try Session.open(server)
                defer { connection.close() }
                let schema =
                    try connection.strings(
                        "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(SQL.quoteString(database))"
                    ).first ?? []
                try replace(
                    connection, live: database,
                    quarantine: try quarantine ?? DatabaseNames.quarantine(database, label: "objects"),
                    characterSet: (schema[safe: 0] ?? nil) ?? "", collation: (schema[safe: 1] ?? nil) ?? "",
                    objects: objects)
            }
        }
    }

    /// Replaces the routines and events of `live` and creates `objects` (read from the staging database) there.
    static func replace(
        _ connection: Connection, live: String, quarantine: String, characterSet: String, collation: String,
        objects: [ObjectDefinition]
    ) throws {
        let all = try ObjectDefinition.all(connection, in: live)
        let current = all.filter { $0.kind == .procedure || $0.kind == .function || $0.kind == .event }
        // After the drops below only these views and triggers exist: the others need no DROP first.
        let existing = Set(all.filter { $0.kind == .view || $0.kind == .trigger }.map(\.key))
        if !current.isEmpty {
            try connection.execute(
                TableSwap.createDatabase(quarantine, characterSet: characterSet, collation: collation))
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS \(SQL.qualified(quarantine, TableSwap.quarantinedViewsTable)) \
                (name varchar(200) NOT NULL PRIMARY KEY, definition longtext NOT NULL) DEFAULT CHARSET=utf8mb4
                """)
            // "function " + a 64-character name does not fit the 64 characters an older table has.
            try connection.execute(
                "ALTER TABLE \(SQL.qualified(quarantine, TableSwap.quarantinedViewsTable)) MODIFY name varchar(200) NOT NULL"
            )
        }
        for object in current {
            try connection.execute(
                """
                REPLACE INTO \(SQL.qualified(quarantine, TableSwap.quarantinedViewsTable)) VALUES \
                (\(SQL.quoteString(object.kind.rawValue + " " + object.name)), \(SQL.quoteString(object.statement)))
                """)
            try connection.execute("DROP \(object.kind.keyword) IF EXISTS \(SQL.qualified(live, object.name))")
        }
        try create(connection, in: live, ObjectDefinition.creationOrder(objects), existing: existing)
    }

    /// Creates `objects` in `database` in the given order, each under its own session settings.
    ///
    /// Each is dropped first if it exists; with `existing` (the ``ObjectDefinition/key``s of the
    /// objects there), only those that are in it: a `DROP … IF EXISTS` of nothing is still a DDL
    /// statement, hundreds of milliseconds on the OceanBase kernel.
    static func create(
        _ connection: Connection, in database: String, _ objects: [ObjectDefinition], existing: Set<String>? = nil
    ) throws {
        guard !objects.isEmpty else { return }
        // CREATE TRIGGER needs a current database on the OceanBase kernel, even with qualified names.
        try connection.execute("USE \(SQL.quoteIdentifier(database))")
        let saved =
            try connection.strings(
                "SELECT @@SESSION.sql_mode, @@SESSION.character_set_client, @@SESSION.collation_connection, @@SESSION.time_zone"
            ).first ?? []
        defer {
            _ = try? connection.execute(
                "SET SESSION sql_mode = \(SQL.quoteString((saved[safe: 0] ?? nil) ?? ""))")
            if let client = saved[safe: 1] ?? nil, let collation = saved[safe: 2] ?? nil {
                _ = try? connection.execute(
                    "SET character_set_client = \(ObjectDefinition.word(client)), collation_connection = \(ObjectDefinition.word(collation))"
                )
            }
            if let zone = saved[safe: 3] ?? nil {
                _ = try? connection.execute("SET time_zone = \(SQL.quoteString(zone))")
            }
        }
        for object in objects {
            if let existing, !existing.contains(object.key) {
                // Not there: nothing to drop.
            } else if object.kind == .view {
                try connection.execute("DROP VIEW IF EXISTS \(SQL.quoteIdentifier(object.name))")
            } else {
                try connection.execute("DROP \(object.kind.keyword) IF EXISTS \(SQL.quoteIdentifier(object.name))")
            }
            let client = object.characterSetClient.map(ObjectDefinition.word) ?? ""
            let ascii = object.statement.utf8.allSatisfy { $0 < 0x80 }
            if !client.isEmpty && (ascii || client.hasPrefix("utf8")) {
                try connection.execute("SET character_set_client = \(client)")
            }
            if let collation = object.collationConnection.map(ObjectDefinition.word), !collation.isEmpty {
                try connection.execute("SET collation_connection = \(collation)")
            }
            if let mode = object.sqlMode {
                try connection.execute("SET SESSION sql_mode = \(SQL.quoteString(ObjectDefinition.modeList(mode)))")
            }
            if let zone = object.timeZone.map(NativeDumper.timeZoneText), !zone.isEmpty {
                try connection.execute("SET time_zone = \(SQL.quoteString(zone))")
            }
            _ = try withContext(
                "Creating \(object.kind.rawValue) `\(database)`.`\(object.name)`", database: database,
                table: object.name
            ) {
                if object.kind == .trigger {
                    try connection.createTriggerTolerantly(object.statement, database: database, name: object.name)
                } else {
                    try connection.execute(object.statement)
                }
            }
        }
    }
}
