import Containers
import Foundation
import MetaDB
import MetaDump
import OMSDeployment

/// What the shell commands a person would type to do each step by hand are built from, without
/// the vendor guide's slips: the plan's names and the quoting every step's commands use.
///
/// Each step writes its own commands (`manualCommands(_:node:)` beside its `perform`); this type
/// holds the deployment's names and the helpers that keep them data.
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

    /// `mysql` reading the defaults file: every client of the manual commands starts so.
    static let mysql = "mysql --defaults-extra-file=\(defaultsFile)"

    /// `mysql` reading the defaults file, running `sql`.
    func client(_ sql: String, database: String? = nil) -> String {
        var command = Self.mysql
        if let database { command += " --database=\(Self.shellQuote(database))" }
        return command + " -e \(Self.shellQuote(sql))"
    }

    /// The heartbeat table, qualified.
    var heartbeatTable: String { SQL.qualified(databases.cmHeartbeat, "heatbeat_sequence") }

    /// The node the manual commands act on, and how long its old container may take to stop.
    public struct Node: Sendable {
        public var newContainer: ContainerRunSpec
        /// The old container as the command named it.
        public var oldContainer: String
        public var stopTimeout: Int
        /// The new console's URL.
        public var consoleURL: String

        public init(newContainer: ContainerRunSpec, oldContainer: String, stopTimeout: Int, consoleURL: String) {
            self.newContainer = newContainer
            self.oldContainer = oldContainer
            self.stopTimeout = stopTimeout
            self.consoleURL = consoleURL
        }
    }

    /// The commands for `step`: what that step of ``StepSequence/production`` says it takes by hand
    /// (each step's own `manualCommands(_:node:)`); none for a step in no sequence.
    public func commands(
        for step: StepID, newContainer: ContainerRunSpec, oldContainer: String,
        stopTimeout: Int, consoleURL: String
    ) -> [String] {
        let node = Node(
            newContainer: newContainer, oldContainer: oldContainer, stopTimeout: stopTimeout, consoleURL: consoleURL)
        return StepSequence.production.step(step)?.manualCommands(self, node: node) ?? []
    }

    /// Quotes `text` for a POSIX shell: single quotes, with embedded ones closed and escaped.
    public static func shellQuote(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "_-./:=@,+%".contains($0) }
        if safe, !text.isEmpty { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
