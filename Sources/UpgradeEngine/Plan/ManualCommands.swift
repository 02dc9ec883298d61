import Containers
import MetaDB
import OMSDeployment

/// The shell commands a person would type to do each step by hand, without the vendor guide's slips.
///
/// Passwords never appear: every client reads a 0600 defaults file (see ``prelude(config:)``).
/// Every command is one logical line or a properly backslash-continued one, so it pastes whole.
public struct ManualCommands: Sendable {
    /// Where the manual procedure keeps its client defaults file.
    public static let defaultsFile = "~/.oms-meta.cnf"
    /// Where the manual procedure writes its dumps.
    public let backupDirectory: String
    public let databases: MetaDatabases
    public let label: String

    public init(databases: MetaDatabases, backupDirectory: String, label: String) {
        self.databases = databases
        self.backupDirectory = backupDirectory
        self.label = label
    }

    /// Creates the 0600 defaults file; the password is typed in, never shown.
    public static func prelude(host: String, port: Int, user: String, configPath: String) -> [String] {
        [
            "umask 077; printf '[client]\\nhost=%s\\nport=%s\\nuser=%s\\n' \(shellQuote(host)) \(port) \(shellQuote(user)) > \(defaultsFile)",
            "read -rs -p 'oms_meta_password (from \(configPath)): ' p && printf 'password=\"%s\"\\n' \"$p\" >> \(defaultsFile) && unset p",
        ]
    }

    /// `mysql` reading the defaults file, running `sql`.
    func client(_ sql: String, database: String? = nil) -> String {
        var command = "mysql --defaults-extra-file=\(Self.defaultsFile)"
        if let database { command += " -D \(Self.shellQuote(database))" }
        return command + " -e \(Self.shellQuote(sql))"
    }

    private var heartbeatTable: String { SQL.qualified(databases.cmHeartbeat, "heatbeat_sequence") }

    /// The commands for `step`.
    public func commands(for step: StepID, newContainer: ContainerRunSpec?, oldContainer: String,
                         stopTimeout: Int, consoleURL: String?) -> [String] {
        let new = newContainer?.name ?? "<new container>"
        switch step {
        case .prePrune:
            let select = "SELECT MAX(id) FROM \(heartbeatTable)"
            return [
                "max=$(mysql --defaults-extra-file=\(Self.defaultsFile) -N -e \(Self.shellQuote(select)))",
                "while n=$(mysql --defaults-extra-file=\(Self.defaultsFile) -N -e \(Self.shellQuote("DELETE FROM \(heartbeatTable) WHERE id < "))\"$max\"\(Self.shellQuote(" LIMIT 20000; SELECT ROW_COUNT()"))) && [ \"$n\" -gt 0 ]; do sleep 0.1; done",
            ]
        case .haOff:
            return [client(HighAvailabilitySwitch.manualStatement(rmDatabase: databases.rm, enabled: false))]
        case .stopOld:
            return ["docker stop --time \(stopTimeout) \(Self.shellQuote(oldContainer))"]
        case .prune:
            let fresh = SQL.qualified(databases.cmHeartbeat, "heatbeat_sequence__new")
            let trash = SQL.qualified(databases.cmHeartbeat, "heatbeat_sequence__old")
            return [client("""
                CREATE TABLE \(fresh) LIKE \(heartbeatTable); \
                INSERT INTO \(fresh) SELECT * FROM \(heartbeatTable) ORDER BY id DESC LIMIT 1; \
                RENAME TABLE \(heartbeatTable) TO \(trash), \(fresh) TO \(heartbeatTable); \
                DROP TABLE \(trash)
                """)]
        case .onlineCopy:
            return ["# no manual equivalent: the guide copies nothing while OMS runs (the snapshot below is taken in the downtime)"]
        case .backup:
            // After the upgrade the live databases are migrated: the backup comes from the snapshot, named for the originals.
            var lines = ["mkdir -p -m 700 \(Self.shellQuote(backupDirectory))"]
            for database in databases.all {
                lines.append("umask 077; mysqldump --defaults-extra-file=\(Self.defaultsFile) --single-transaction --routines --triggers --hex-blob --default-character-set=utf8mb4 \(Self.shellQuote("\(database)__pre_\(label)")) > \(Self.shellQuote(backupDirectory + "/" + database + ".sql"))")
            }
            lines.append("(cd \(Self.shellQuote(backupDirectory)) && sha256sum *.sql > SHA256SUMS)")
            return lines
        case .snapshot, .catchUp:
            return databases.all.flatMap { database -> [String] in
                let snapshot = "\(database)__pre_\(label)"
                let list = "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SQL.quoteString(database)) AND TABLE_TYPE = 'BASE TABLE'"
                return [
                    client("CREATE DATABASE \(SQL.quoteIdentifier(snapshot))"),
                    "for t in $(mysql --defaults-extra-file=\(Self.defaultsFile) -N -e \(Self.shellQuote(list))); do "
                        + "mysql --defaults-extra-file=\(Self.defaultsFile) -e \"CREATE TABLE \\`\(snapshot)\\`.\\`$t\\` LIKE \\`\(database)\\`.\\`$t\\`; INSERT INTO \\`\(snapshot)\\`.\\`$t\\` SELECT * FROM \\`\(database)\\`.\\`$t\\`\"; done",
                ]
            }
        case .startNew:
            return [newContainer?.shellCommand() ?? "# no new container spec: see the failed checks"]
        case .initSchema:
            return ["docker exec \(Self.shellQuote(new)) bash /root/docker_init.sh"]
        case .health:
            let url = (consoleURL ?? "http://127.0.0.1:8089") + "/oms/health"
            return [
                "until curl -fsSk \(Self.shellQuote(url)) | grep -q '\"healthy\":true'; do sleep 5; done",
                "docker logs --tail 1 \(Self.shellQuote(new))",
            ]
        case .haOn:
            return [client(HighAvailabilitySwitch.manualStatement(rmDatabase: databases.rm, enabled: true))]
        case .rollbackCapture, .rollbackStopNew, .rollbackData, .rollbackVerify, .rollbackContainers, .rollbackHA, .rollbackHealth:
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

import Foundation
