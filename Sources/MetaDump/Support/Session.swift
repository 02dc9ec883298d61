import MetaDB

/// Opening connections and the session settings every MetaDump connection uses.
package enum Session {
    /// Opens a connection to `server`, optionally with `database` as the default database.
    package static func open(_ server: ConnectionOptions, database: String? = nil) throws -> Connection {
        var options = server
        options.database = database
        return try Connection(options: options)
    }

    /// Settings that make SQL text and values independent of the server's defaults.
    ///
    /// UTC for `TIMESTAMP` values (so they round-trip across time zones) and an empty
    /// sql_mode (backslash escapes on, zero dates allowed, `SHOW CREATE` output not
    /// altered by `ANSI_QUOTES` and the like), as mysqldump does.
    package static func normalize(_ connection: Connection) throws {
        try connection.execute("SET SESSION time_zone = '+00:00'")
        try connection.execute("SET SESSION sql_mode = ''")
    }

    /// Bounds how long DDL, `LOCK TABLES` and `RENAME TABLE` wait for another session's locks (ignored where unsupported).
    ///
    /// The servers' default is a year: a forgotten transaction in a running OMS
    /// would hang the step instead of failing it with a clear message.
    package static func limitLockWait(_ connection: Connection, seconds: Int = 60) {
        _ = try? connection.execute("SET SESSION lock_wait_timeout = \(seconds)")
    }

    /// Turns off checks and binary logging that only slow a bulk load; a missing privilege is ignored.
    package static func prepareForBulkLoad(_ connection: Connection) {
        _ = try? connection.execute("SET SESSION foreign_key_checks = 0")
        _ = try? connection.execute("SET SESSION unique_checks = 0")
        // Needs SUPER (or BINLOG ADMIN); without it the load is still correct, only logged.
        _ = try? connection.execute("SET SESSION sql_log_bin = 0")
    }
}

extension Connection {
    /// All rows of `sql` as optional UTF-8 strings.
    package func strings(_ sql: String) throws -> [[String?]] {
        var rows: [[String?]] = []
        try streamRaw(sql) { _, row in
            rows.append((0..<row.count).map { row.string(at: $0) })
        }
        return rows
    }

    /// The first column of the first row as an integer, or `nil` for no row or `NULL`.
    package func int64(_ sql: String) throws -> Int64? {
        try scalar(sql).int64
    }

    /// The first column of the first row as text, or `nil`.
    package func text(_ sql: String) throws -> String? {
        try scalar(sql).string
    }

    /// Whether the server is MariaDB (as opposed to MySQL or OceanBase).
    var isMariaDB: Bool { serverVersion.lowercased().contains("mariadb") }
}
