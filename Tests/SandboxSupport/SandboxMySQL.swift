import Foundation

/// The sandbox's admin account (`oms_sandbox`, ALL PRIVILEGES WITH GRANT OPTION) on one of its
/// metadata servers (MariaDB or the OceanBase kernel), as written by `scripts/sandbox-up.sh` to
/// `.sandbox/sandbox.env`.
///
/// `description` redacts the password, so the value can be printed or interpolated safely.
public struct SandboxMySQL: Sendable, CustomStringConvertible {
    /// Server host, `127.0.0.1`.
    public var host: String
    /// Server TCP port, 3306.
    public var port: Int
    /// Admin user name, `oms_sandbox`.
    public var user: String
    /// The admin password (read from ``passwordFile``). Never log it.
    public var password: String
    /// The 0600 file holding the password only (`.sandbox/meta-password`).
    public var passwordFile: URL
    /// Which server this is.
    public var server: MetadataServer

    /// Creates a value by hand (tests normally use ``Sandbox/mysql(_:)``).
    public init(
        host: String, port: Int, user: String, password: String, passwordFile: URL,
        server: MetadataServer = .mariadb
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.passwordFile = passwordFile
        self.server = server
    }

    /// `user@host:port` with the password left out.
    public var description: String { "\(user)@\(host):\(port) on \(server) (password redacted)" }

    /// The contents of a MariaDB client option file for this account: every value
    /// double-quoted with `\` and `"` escaped, so any printable password survives.
    public func optionFileContents() -> String {
        """
        [client]
        host=\(Self.optionQuote(host))
        port=\(port)
        user=\(Self.optionQuote(user))
        password=\(Self.optionQuote(password))
        protocol=TCP
        default-character-set=utf8mb4

        """
    }

    /// Quotes `value` for a MariaDB option file (`"..."`, backslash-escaping `\` and `"`).
    public static func optionQuote(_ value: String) -> String {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    /// Runs `body` with the URL of a fresh 0600 client defaults file (in a 0700 temp
    /// dir) for this account, for `mariadb --defaults-extra-file=...`; removes it after.
    public func withDefaultsFile<T>(_ body: (URL) throws -> T) throws -> T {
        let dir = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("my.cnf")
        try Sandbox.writePrivateFile(file, contents: optionFileContents())
        return try body(file)
    }

    /// Runs SQL through the `mariadb` command-line client (SQL on stdin, credentials
    /// from a defaults file) and returns its output: `--batch --skip-column-names`,
    /// one row per line, columns separated by tabs. Throws on a non-zero exit.
    ///
    /// Tests use this for checks and setup that must not depend on the Swift MetaDB client.
    @discardableResult
    public func query(_ sql: String, database: String? = nil) throws -> String {
        try withDefaultsFile { cnf in
            var args = ["--defaults-extra-file=\(cnf.path)", "--batch", "--skip-column-names"]
            if server == .oceanbase {
                // The OceanBase kernel cuts a statement after 10 s by default (ob_query_timeout).
                args.append("--init-command=SET SESSION ob_query_timeout = 3600000000, ob_trx_timeout = 3600000000")
            }
            if let database { args.append(database) }
            let result = try Sandbox.run("mariadb", args, stdin: sql)
            guard result.status == 0 else {
                throw SandboxError(
                    "mariadb exited with status \(result.status): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
                )
            }
            return result.stdout
        }
    }

    /// Like ``query(_:database:)`` but returns the rows, each split into its columns
    /// (`NULL` comes back as the text `NULL`).
    public func rows(_ sql: String, database: String? = nil) throws -> [[String]] {
        try query(sql, database: database)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The first column of the first row of `sql`, or nil when it returns no row.
    public func scalar(_ sql: String, database: String? = nil) throws -> String? {
        try rows(sql, database: database).first?.first
    }

    /// Drops each database if it exists.
    public func dropDatabases(_ names: [String]) throws {
        guard !names.isEmpty else { return }
        try query(names.map { "DROP DATABASE IF EXISTS \(Self.quoteIdentifier($0));" }.joined(separator: "\n"))
    }

    /// `name` as a backquoted SQL identifier.
    public static func quoteIdentifier(_ name: String) -> String {
        "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }

    /// `value` as a single-quoted SQL string literal (backslash and quote escaped).
    public static func quoteString(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }
}
