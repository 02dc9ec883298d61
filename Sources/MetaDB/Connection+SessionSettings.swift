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
}
