import MetaDB

/// What the mysqldump dumper does differently on the OceanBase kernel: the triggers written by this
/// tool, and no dump of tables with generated columns.
///
/// The OceanBase kernel's `SHOW CREATE TRIGGER` names a character set (`utf8mb4`) in its
/// `Database Collation` column, where a collation belongs; `mariadb-dump` then stops at the
/// first trigger with exit status 2 and no message. There the tool runs with
/// `--skip-triggers`, and each trigger is appended in the native dumper's form (its own
/// `sql_mode` and character set, `DELIMITER ;;`), after every table, view and routine, as
/// the native dumper orders them. Those statements are all of shapes mysqldump writes too,
/// so verify and the stock client take the file as before.
extension MysqldumpDumper {
    /// The text appended to the dump: `objects`' triggers but those of `skipTables` (mysqldump's
    /// `--ignore-table` leaves those out too), in creation order; empty when there are none.
    static func triggerSection(_ objects: [ObjectDefinition], skipTables: Set<String>) -> String {
        let triggers = ObjectDefinition.creationOrder(objects).filter {
            $0.kind == .trigger && !skipTables.contains($0.table ?? "")
        }
        guard !triggers.isEmpty else { return "" }
        return "\n-- Triggers, written by oms-upgrade (mariadb-dump cannot read them from the OceanBase kernel)\n"
            + triggers.map(NativeDumper.objectText).joined()
    }

    /// Refuses, before anything is written, a database with generated columns on the OceanBase kernel.
    ///
    /// `mariadb-dump` writes a value for every column, generated ones included (MariaDB ignores
    /// those on load); the OceanBase kernel, like MySQL, refuses any value but `DEFAULT` for a
    /// generated column (error 3105), so such a file could not be restored there.
    static func refuseGeneratedColumns(_ catalog: SchemaCatalog) throws {
        let generated = catalog.tables.flatMap { table in
            table.columns.filter(\.isGenerated).map {
                SQLComment.identifier(table.name) + "." + SQLComment.identifier($0.name)
            }
        }
        guard !generated.isEmpty else { return }
        throw MetaDumpError(
            .unsupported, action: "Dumping `\(catalog.database)` with mysqldump",
            reason: "mariadb-dump writes the values of generated columns, which the OceanBase kernel refuses "
                + "to load (error 3105), so the file could not be restored: "
                + generated.prefix(10).joined(separator: ", "),
            database: catalog.database,
            remedy: "Back up with the native dumper (the default, without --dumper mysqldump). Nothing was written.")
    }

    /// Refuses, before anything is written, a database whose name holds a backtick on the OceanBase kernel.
    ///
    /// That server answers `SHOW TABLES` in such a database with a syntax error (1064: it writes the name
    /// unescaped into its query's column alias), and mariadb-dump, which lists the tables so, then writes a
    /// file without a single table and exits with status 0.
    static func refuseDatabaseNamedWithBacktick(_ catalog: SchemaCatalog) throws {
        guard catalog.database.contains("`") else { return }
        throw MetaDumpError(
            .unsupported, action: "Dumping `\(catalog.database)` with mysqldump",
            reason: "on the OceanBase kernel mariadb-dump finds no table in a database whose name holds a backtick "
                + "(the server answers its SHOW TABLES with a syntax error there), so the file would hold none",
            database: catalog.database,
            remedy: "Back up with the native dumper (the default, without --dumper mysqldump). Nothing was written.")
    }

    /// Refuses a database with a view that mariadb-dump's file could not give back on the OceanBase kernel.
    ///
    /// Two reasons, both of that server's: its `SHOW CREATE VIEW` leaves a backtick in the view's name
    /// single (``CREATE VIEW `v`x` AS``), which mariadb-dump copies, so the file ends inside a quoted name
    /// (the native dumper quotes the name itself, ``ObjectDefinition/requotingViewName(_:name:)``); and
    /// mariadb-dump writes views inside versioned comments (`/*!50001 CREATE VIEW … */`), which its parser
    /// ends at a `*/` even inside a quoted name, so any `*/` in the view's text (its name, its columns,
    /// the names it reads) makes the statement a syntax error (1064).
    static func refuseViewsMysqldumpCannotCarry(_ connection: Connection, _ catalog: SchemaCatalog) throws {
        var named: [String] = []
        for view in catalog.views {
            let text = try connection.showCreateView(catalog.database, view)
            if view.contains("`") || text.contains("*/") || catalog.database.contains("*/") { named.append(view) }
        }
        guard !named.isEmpty else { return }
        throw MetaDumpError(
            .unsupported, action: "Dumping `\(catalog.database)` with mysqldump",
            reason: "on the OceanBase kernel mariadb-dump's file could not create these views again (a backtick "
                + "in the view's name, which the server leaves single, or a `*/` in its definition, which ends "
                + "the file's versioned comment): "
                + named.prefix(10).map(SQLComment.identifier).joined(separator: ", "),
            database: catalog.database,
            remedy: "Back up with the native dumper (the default, without --dumper mysqldump). Nothing was written.")
    }
}
