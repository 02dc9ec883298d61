import Containers
import Foundation
import MetaDB
import MetaDump
import OMSDeployment

/// The shell commands a person would type to do each step by hand, without the vendor guide's slips.
///
/// Passwords never appear: every client reads a 0600 defaults file (see ``prelude(host:port:user:configPath:)``).
/// Every command is one logical line or a properly backslash-continued one, so it pastes whole (into bash).
/// Names and paths are quoted for the shell and, inside SQL, as identifiers (backticks doubled) or hex
/// literals, so that any character MySQL allows in a name stays data under any sql_mode; table names
/// the commands discover at run time are quoted by the server (`CONCAT` + `REPLACE`), never by the shell.
public struct ManualCommands: Sendable {
    /// Where the manual procedure keeps its client defaults file (a shell word, expanded by the shell).
    public static let defaultsFile = "\"$HOME\"/.oms-meta.cnf"
    /// Where the manual procedure writes its dumps.
    public let backupDirectory: String
    public let databases: MetaDatabases
    public let label: String
    /// The `ha.config` keys the HA steps switch (the plan's ``UpgradePlan/haKeys``).
    public let haKeys: [String]

    public init(databases: MetaDatabases, backupDirectory: String, label: String, haKeys: [String] = ["enable"]) {
        self.databases = databases
        self.backupDirectory = backupDirectory
        self.label = label
        self.haKeys = haKeys
    }

    /// Creates the 0600 defaults file; the password is typed in, never shown.
    public static func prelude(host: String, port: Int, user: String, configPath: String) -> [String] {
        let lines = [
            "[client]", "host=" + DefaultsFile.quoted(host), "port=\(port)", "user=" + DefaultsFile.quoted(user),
        ]
        let prompt = shellQuote("oms_meta_password (from \(configPath)): ")
        return [
            "(umask 077 && printf '%s\\n' \(lines.map(shellQuote).joined(separator: " ")) > \(defaultsFile))",
            // The option file reads `\\` and `\"` as escapes inside a double-quoted value: escape the typed password.
            "IFS= read -rs -p \(prompt) p && p=${p//\\\\/\\\\\\\\} && p=${p//\\\"/\\\\\\\"} "
                + "&& printf 'password=\"%s\"\\n' \"$p\" >> \(defaultsFile); unset p; echo",
        ]
    }

    /// A string literal valid under every sql_mode (`NO_BACKSLASH_ESCAPES`, `ANSI_QUOTES`): the UTF-8 bytes in hex.
    static func literal(_ text: String) -> String {
        "CONVERT(\(SQL.hexLiteral(Array(text.utf8))) USING utf8mb4)"
    }

    /// `mysql` reading the defaults file, running `sql`.
    func client(_ sql: String, database: String? = nil) -> String {
        var command = "mysql --defaults-extra-file=\(Self.defaultsFile)"
        if let database { command += " --database=\(Self.shellQuote(database))" }
        return command + " -e \(Self.shellQuote(sql))"
    }

    private var heartbeatTable: String { SQL.qualified(databases.cmHeartbeat, "heatbeat_sequence") }

    /// The commands for `step`.
    public func commands(
        for step: StepID, newContainer: ContainerRunSpec, oldContainer: String,
        stopTimeout: Int, consoleURL: String
    ) -> [String] {
        let new = newContainer.name
        switch step {
        case .prePrune:
            let select = "SELECT MAX(id) FROM \(heartbeatTable)"
            return [
                "max=$(mysql --defaults-extra-file=\(Self.defaultsFile) -N -e \(Self.shellQuote(select)))",
                "while n=$(mysql --defaults-extra-file=\(Self.defaultsFile) -N -e \(Self.shellQuote("DELETE FROM \(heartbeatTable) WHERE id < "))\"$max\"\(Self.shellQuote(" LIMIT 20000; SELECT ROW_COUNT()"))) && [ \"$n\" -gt 0 ]; do sleep 0.1; done",
            ]
        case .haOff:
            return [
                client(HighAvailabilitySwitch.manualStatement(rmDatabase: databases.rm, keys: haKeys, enabled: false))
            ]
        case .stopOld:
            return ["docker stop --time \(stopTimeout) \(Self.shellQuote(oldContainer))"]
        case .prune:
            let fresh = SQL.qualified(databases.cmHeartbeat, "heatbeat_sequence__new")
            let trash = SQL.qualified(databases.cmHeartbeat, "heatbeat_sequence__old")
            return [
                client(
                    """
                    CREATE TABLE \(fresh) LIKE \(heartbeatTable); \
                    INSERT INTO \(fresh) SELECT * FROM \(heartbeatTable) ORDER BY id DESC LIMIT 1; \
                    RENAME TABLE \(heartbeatTable) TO \(trash), \(fresh) TO \(heartbeatTable); \
                    DROP TABLE \(trash)
                    """)
            ]
        case .onlineCopy:
            return [
                "# no manual equivalent: the guide copies nothing while OMS runs (the snapshot below is taken in the downtime)"
            ]
        case .backup:
            // After the upgrade the live databases are migrated: the backup comes from the snapshot, named
            // for the originals. Files are named by role, not by database name: a name may hold `/` or start with `-`.
            var lines = ["mkdir -p -m 700 -- \(Self.shellQuote(backupDirectory))"]
            for (role, database) in zip(["rm", "cm", "cm_hb"], databases.all) {
                lines.append(
                    "(umask 077 && mysqldump --defaults-extra-file=\(Self.defaultsFile) "
                        + "--single-transaction --routines --triggers --hex-blob --default-character-set=utf8mb4 "
                        + "-- \(Self.shellQuote("\(database)__pre_\(label)")) > "
                        + "\(Self.shellQuote(backupDirectory + "/" + role + ".sql")))")
            }
            lines.append("(cd -- \(Self.shellQuote(backupDirectory)) && sha256sum -- *.sql > SHA256SUMS)")
            return lines
        case .snapshot, .catchUp:
            return databases.all.flatMap { database -> [String] in
                let snapshot = "\(database)__pre_\(label)"
                // The server writes one CREATE … LIKE + INSERT … SELECT per table, each name quoted by the server;
                // a second client runs them (raw output: a name's newline or backslash stays inside its backticks).
                let quoted = "CONCAT('`', REPLACE(TABLE_NAME, '`', '``'), '`')"
                let snapshotPrefix = Self.literal(SQL.quoteIdentifier(snapshot) + ".")
                let generate =
                    "SELECT CONCAT('CREATE TABLE ', \(snapshotPrefix), \(quoted), "
                    + "' LIKE ', \(Self.literal(SQL.quoteIdentifier(database) + ".")), \(quoted), '; INSERT INTO ', "
                    + "\(snapshotPrefix), \(quoted), ' SELECT * FROM ', "
                    + "\(Self.literal(SQL.quoteIdentifier(database) + ".")), \(quoted), ';') "
                    + "FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(Self.literal(database)) "
                    + "AND TABLE_TYPE = 'BASE TABLE'"
                return [
                    client("CREATE DATABASE \(SQL.quoteIdentifier(snapshot))"),
                    "mysql --defaults-extra-file=\(Self.defaultsFile) -N -B -r -e \(Self.shellQuote(generate)) "
                        + "| mysql --defaults-extra-file=\(Self.defaultsFile)",
                ]
            }
        case .startNew:
            return [newContainer.shellCommand()]
        case .initSchema:
            return ["docker exec \(Self.shellQuote(new)) bash \(OMSContainerPaths.initScript)"]
        case .health:
            let url = consoleURL + "/oms/health"
            return [
                "until curl -fsSk \(Self.shellQuote(url)) | grep -q '\"healthy\":true'; do sleep 5; done",
                "docker logs --tail 1 \(Self.shellQuote(new))",
            ]
        case .haOn:
            return [
                client(HighAvailabilitySwitch.manualStatement(rmDatabase: databases.rm, keys: haKeys, enabled: true))
            ]
        case .rollbackCapture, .rollbackStopNew, .rollbackData, .rollbackVerify, .rollbackContainers, .rollbackHA,
            .rollbackHealth:
            return []
        }
    }

    /// Quotes `text` for a POSIX shell: single quotes, with embedded ones closed and escaped.
    public static func shellQuote(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "_-./:=@,+%".contains($0) }
        if safe, !text.isEmpty { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
