import MetaDB

/// A column of a base table, as information_schema describes it.
package struct ColumnInfo: Sendable, Hashable {
    /// The column name.
    package var name: String
    /// `DATA_TYPE` in lower case (`bigint`, `json`, `varbinary`, …).
    package var dataType: String
    /// `VIRTUAL`/`STORED`/`PERSISTENT` generated columns take no value in an INSERT.
    package var isGenerated: Bool
    /// Part of the primary key.
    package var isPrimaryKey: Bool
    /// `AUTO_INCREMENT`.
    package var isAutoIncrement: Bool
    /// May hold NULL.
    package var isNullable: Bool = true
    /// The collation of a character column.
    package var collation: String? = nil

    /// A character type (its bytes depend on the column's character set and collation).
    package var isCharacter: Bool {
        ["char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set"].contains(dataType)
    }

    /// A number or a date/time: its text never contains the letter N.
    package var isNumericOrTemporal: Bool {
        [
            "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric", "float", "double",
            "real",
            "year", "date", "time", "datetime", "timestamp",
        ].contains(dataType)
    }

    /// An integer type, usable for primary-key range chunking.
    package var isInteger: Bool {
        ["tinyint", "smallint", "mediumint", "int", "integer", "bigint"].contains(dataType)
    }
}

/// A base table: its name, columns in order, and the server's row estimate.
package struct TableInfo: Sendable, Hashable {
    package var name: String
    package var columns: [ColumnInfo]
    /// `TABLE_ROWS` (an estimate for InnoDB), for progress only.
    package var estimatedRows: Int64

    /// Columns that take a value in an INSERT (generated columns left out).
    package var storedColumns: [ColumnInfo] { columns.filter { !$0.isGenerated } }

    /// The single integer primary-key column, if the key is exactly one such column.
    package var integerKey: ColumnInfo? {
        let keys = columns.filter(\.isPrimaryKey)
        guard keys.count == 1, keys[0].isInteger else { return nil }
        return keys[0]
    }
}

/// The tables and views of one database.
package struct SchemaCatalog: Sendable {
    var database: String
    package var characterSet: String
    package var collation: String
    package var tables: [TableInfo]
    package var views: [String]
    /// Trigger names, in creation order.
    var triggers: [String] = []
    /// Trigger names, in creation order (the tool's own capture triggers included).
    package var triggerNames: [String] { triggers }

    /// Reads the catalog of `database` through `connection`; throws if the database does not exist.
    ///
    /// With `keysFromColumns`, the primary key columns are those `COLUMNS.COLUMN_KEY` marks `PRI`,
    /// without asking `STATISTICS` (hundreds of milliseconds on the OceanBase kernel). That is
    /// exact for a table that has a primary key, but a table without one may show a UNIQUE NOT
    /// NULL column as `PRI`: only for callers that use a key solely where an earlier exact read
    /// found it and the definition has not changed since (the catch-up).
    package static func read(_ connection: Connection, database: String, keysFromColumns: Bool = false) throws
        -> SchemaCatalog
    {
        guard let catalog = try read(connection, databases: [database], keysFromColumns: keysFromColumns)[database]
        else { throw missing(database) }
        return catalog
    }

    /// Reads the catalogs of each of `databases` with one `information_schema` query per table for
    /// all of them (each is tens to hundreds of milliseconds on the OceanBase kernel); throws if one
    /// of them does not exist. `keysFromColumns` as in ``read(_:database:keysFromColumns:)``.
    package static func read(_ connection: Connection, databases: [String], keysFromColumns: Bool = false) throws
        -> [String: SchemaCatalog]
    {
        guard !databases.isEmpty else { return [:] }
        var rows: [Part: [[String?]]] = [:]
        for part in parts(keysFromColumns: keysFromColumns) {
            rows[part] = try connection.strings(query(part, databases: databases))
        }
        return try assemble(databases: databases, rows: rows, keysFromColumns: keysFromColumns)
    }

    /// One of the `information_schema` reads a catalog is assembled from (each can run on a session of its own).
    package enum Part: Sendable, Hashable {
        case schemata, tables, columns, primaryKeys, triggers
    }

    /// The reads a catalog needs (`keysFromColumns`: no `STATISTICS` read).
    package static func parts(keysFromColumns: Bool) -> [Part] {
        keysFromColumns
            ? [.schemata, .tables, .columns, .triggers] : [.schemata, .tables, .columns, .primaryKeys, .triggers]
    }

    /// The query of `part` for `databases`.
    package static func query(_ part: Part, databases: [String]) -> String {
        let quoted = databases.map(SQL.quoteString).joined(separator: ", ")
        switch part {
        case .schemata:
            return """
                SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA \
                WHERE SCHEMA_NAME IN (\(quoted))
                """
        case .tables:
            return """
                SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_ROWS FROM information_schema.TABLES \
                WHERE TABLE_SCHEMA IN (\(quoted)) ORDER BY TABLE_SCHEMA, TABLE_NAME
                """
        case .columns:
            return """
                SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, LOWER(DATA_TYPE), UPPER(EXTRA), COLUMN_KEY, IS_NULLABLE, \
                COLLATION_NAME FROM information_schema.COLUMNS \
                WHERE TABLE_SCHEMA IN (\(quoted)) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION
                """
        case .primaryKeys:
            return """
                SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS \
                WHERE TABLE_SCHEMA IN (\(quoted)) AND INDEX_NAME = 'PRIMARY'
                """
        case .triggers:
            return """
                SELECT TRIGGER_SCHEMA, TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN (\(quoted)) \
                ORDER BY TRIGGER_SCHEMA, EVENT_OBJECT_TABLE, ACTION_ORDER, TRIGGER_NAME
                """
        }
    }

    /// The catalogs of `databases` from the rows of each of ``parts(keysFromColumns:)``; throws if a
    /// database does not exist or holds objects this tool cannot copy.
    package static func assemble(databases: [String], rows: [Part: [[String?]]], keysFromColumns: Bool) throws
        -> [String: SchemaCatalog]
    {
        // The server may name a database in another case than asked (the OceanBase kernel folds names).
        let asked = Set(databases)
        let folded = Dictionary(databases.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        func named(_ schema: String?) -> String {
            let schema = schema ?? ""
            return asked.contains(schema) ? schema : folded[schema.lowercased()] ?? schema
        }
        var catalogs: [String: SchemaCatalog] = [:]
        for row in rows[.schemata] ?? [] {
            let database = named(row[0])
            guard asked.contains(database) else { continue }
            catalogs[database] = SchemaCatalog(
                database: database, characterSet: row[1] ?? "utf8mb4", collation: row[2] ?? "", tables: [], views: [])
        }
        if let absent = databases.first(where: { catalogs[$0] == nil }) { throw missing(absent) }
        var unsupported: [String: [String]] = [:]
        for row in rows[.tables] ?? [] {
            let database = named(row[0])
            guard catalogs[database] != nil else { continue }
            let name = row[1] ?? ""
            switch row[2] ?? "" {
            case "VIEW", "SYSTEM VIEW": catalogs[database]?.views.append(name)
            case "BASE TABLE", "SYSTEM VERSIONED":
                catalogs[database]?.tables.append(
                    TableInfo(name: name, columns: [], estimatedRows: Int64(row[3] ?? "") ?? 0))
            default: unsupported[database, default: []].append("\(name) (\(row[2] ?? "?"))")
            }
        }
        if let database = databases.first(where: { unsupported[$0] != nil }) {
            throw MetaDumpError(
                .unsupported, action: "Reading the tables of database `\(database)`",
                reason: "it holds objects this tool cannot copy: "
                    + (unsupported[database] ?? []).joined(separator: ", "),
                database: database, remedy: "Back these objects up by other means, or remove them.")
        }
        var columnsByTable: [String: [String: [ColumnInfo]]] = [:]
        for row in rows[.columns] ?? [] {
            let extra = row[4] ?? ""
            // MySQL 8 marks expression defaults "DEFAULT_GENERATED"; that is not a generated column.
            let generated = extra.contains("VIRTUAL") || extra.contains("STORED") || extra.contains("PERSISTENT")
            let column = ColumnInfo(
                name: row[2] ?? "", dataType: row[3] ?? "", isGenerated: generated,
                isPrimaryKey: row[5] == "PRI", isAutoIncrement: extra.contains("AUTO_INCREMENT"),
                isNullable: row[6] != "NO", collation: row[7])
            columnsByTable[named(row[0]), default: [:]][row[1] ?? "", default: []].append(column)
        }
        // COLUMN_KEY says PRI for a UNIQUE NOT NULL column when there is no primary key; ask STATISTICS.
        var primary: [String: [String: Set<String>]] = [:]
        if keysFromColumns {
            for (database, tables) in columnsByTable {
                for (table, columns) in tables {
                    primary[database, default: [:]][table] = Set(columns.filter(\.isPrimaryKey).map(\.name))
                }
            }
        }
        for row in keysFromColumns ? [] : rows[.primaryKeys] ?? [] {
            primary[named(row[0]), default: [:]][row[1] ?? "", default: []].insert(row[2] ?? "")
        }
        for row in rows[.triggers] ?? [] {
            let database = named(row[0])
            guard catalogs[database] != nil, let name = row[1] else { continue }
            catalogs[database]?.triggers.append(name)
        }
        for database in databases {
            guard var catalog = catalogs[database] else { continue }
            for i in catalog.tables.indices {
                var columns = columnsByTable[database]?[catalog.tables[i].name] ?? []
                let keys = primary[database]?[catalog.tables[i].name] ?? []
                for j in columns.indices { columns[j].isPrimaryKey = keys.contains(columns[j].name) }
                catalog.tables[i].columns = columns
            }
            catalogs[database] = catalog
        }
        return catalogs
    }

    /// The error for a database that does not exist.
    private static func missing(_ database: String) -> MetaDumpError {
        MetaDumpError(
            .invalidArgument, action: "Reading the tables of database `\(database)`",
            reason: "the database does not exist on the server", database: database,
            remedy: "Check the database names (drc_rm_db, drc_cm_db, drc_cm_heartbeat_db in config.yaml).")
    }

    /// The table named `name`.
    func table(_ name: String) -> TableInfo? {
        tables.first { $0.name == name }
    }
}

extension Connection {
    /// `SHOW CREATE TABLE` text of `db`.`table`.
    ///
    /// The OceanBase kernel qualifies every foreign key's parent with its database, its own included
    /// (`REFERENCES \`db\`.\`p\`(\`id\`)`): that qualifier is removed, as MySQL and MariaDB print it,
    /// so that a copy in another database (a snapshot, a restore under a suffix) references its own
    /// tables, never the live ones (whose deletes the copy's rows would then refuse, 1451).
    package func showCreateTable(_ database: String, _ table: String) throws -> String {
        let rows = try strings("SHOW CREATE TABLE \(SQL.qualified(database, table))")
        guard let text = rows.first?[1] else {
            throw MetaDumpError(
                .database, action: "Reading the definition of `\(database)`.`\(table)`",
                reason: "SHOW CREATE TABLE returned nothing", database: database, table: table)
        }
        return text.replacing("REFERENCES \(SQL.quoteIdentifier(database)).", with: "REFERENCES ")
    }

    /// `SHOW CREATE VIEW` text of `db`.`view`.
    package func showCreateView(_ database: String, _ view: String) throws -> String {
        let rows = try strings("SHOW CREATE VIEW \(SQL.qualified(database, view))")
        guard let text = rows.first?[1] else {
            throw MetaDumpError(
                .database, action: "Reading the definition of view `\(database)`.`\(view)`",
                reason: "SHOW CREATE VIEW returned nothing", database: database, table: view)
        }
        return ObjectDefinition.requotingViewName(text, name: view)
    }

    /// Whether database `name` exists.
    func databaseExists(_ name: String) throws -> Bool {
        try !strings("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(SQL.quoteString(name))").isEmpty
    }

    /// Names of base tables and views in `database`.
    package func tableNames(_ database: String) throws -> (tables: [String], views: [String]) {
        var tables: [String] = []
        var views: [String] = []
        for row in try strings(
            "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SQL.quoteString(database)) ORDER BY TABLE_NAME"
        ) {
            if row[1] == "VIEW" { views.append(row[0] ?? "") } else { tables.append(row[0] ?? "") }
        }
        return (tables, views)
    }
}
