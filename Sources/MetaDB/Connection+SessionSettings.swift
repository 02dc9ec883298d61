extension Connection {
    /// The statement every connection runs first (`MYSQL_INIT_COMMAND`), whatever the server's global settings.
    ///
    /// A server may run with any global `sql_mode`: `NO_BACKSLASH_ESCAPES` makes
    /// ``SQL/quoteString(_:)``'s backslash escapes literal text (HA's JSON was seen
    /// stored as `{\"enable\"…}`), `ANSI_QUOTES` turns `"…"` into identifiers and
    /// changes `SHOW CREATE` output, strict modes refuse zero dates a copy must
    /// keep, and without `NO_AUTO_VALUE_ON_ZERO` copying a row whose AUTO_INCREMENT
    /// id is 0 renumbers it. Times are read and compared in UTC. A short global
    /// `wait_timeout` would drop an idle connection between two steps; the session
    /// keeps at least eight hours. Character set and collation come with
    /// `MYSQL_SET_CHARSET_NAME` (utf8mb4).
    public static let sessionSettings =
        "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO', time_zone = '+00:00', "
        + "wait_timeout = GREATEST(@@SESSION.wait_timeout, 28800)"

    /// What a session on the OceanBase kernel runs right after connecting, on top of ``sessionSettings``.
    ///
    /// OceanBase cuts every statement after `ob_query_timeout` (10 s by default, error 1317) and
    /// every transaction after `ob_trx_timeout`; a copy, a checksum or a restore of a large table
    /// runs longer. A day bounds them instead, as MySQL and MariaDB leave them unbounded. Its
    /// default isolation is READ-COMMITTED; the session asks for REPEATABLE-READ like MySQL's
    /// default, which every consistent read of the tool assumes.
    public static let oceanBaseSessionSettings =
        "SET SESSION ob_query_timeout = 86400000000, ob_trx_timeout = 86400000000, "
        + "ob_trx_idle_timeout = 86400000000, tx_isolation = 'REPEATABLE-READ'"

    /// Whether a server version string is the OceanBase kernel's (`5.7.25-OceanBase_CE-v4.2.1.2`,
    /// `5.7.25-OceanBase seekdb-v1.4.0.0`).
    public static func isOceanBase(serverVersion: String) -> Bool {
        serverVersion.localizedCaseInsensitiveContains("OceanBase")
    }

    /// Whether this connection is to the OceanBase kernel.
    public var isOceanBase: Bool { Self.isOceanBase(serverVersion: serverVersion) }
}
