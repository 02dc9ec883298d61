import Containers
import Foundation
import MetaDB
import OMSDeployment
import SandboxSupport
import Testing
import UpgradeEngine

/// The plan's printed manual commands, run with bash against databases, a user, a password and a backup
/// directory named with shell and SQL metacharacters: they do what they say and nothing else.
@Suite(.integration, .tags(.mariadb)) struct ManualCommandsTests {
    struct Setup {
        var databases: MetaDatabases
        var other: String
        var user: String
        var password: String
        var work: URL
        var admin: Connection
    }

    static func connectAdmin() throws -> Connection {
        let account = try Sandbox.mysql()
        return try Connection(
            options: ConnectionOptions(
                host: account.host, port: account.port, user: account.user,
                password: Secret(account.password), tls: .plaintext))
    }

    /// Runs `lines` with bash in `work` with HOME there; returns (status, output).
    static func bash(_ lines: [String], work: URL, stdin: String = "") throws -> (Int32, String) {
        let script = work.appendingPathComponent("step-\(UUID().uuidString).sh")
        let text =
            [
                "set -eu -o pipefail", "cd -- \(ManualCommands.shellQuote(work.path))",
                "export HOME=\(ManualCommands.shellQuote(work.path))",
            ] + lines
        try (text.joined(separator: "\n") + "\n").write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let result = try Sandbox.run("bash", [script.path], stdin: stdin)
        return (result.status, result.stdout + result.stderr)
    }

    func count(_ admin: Connection, _ db: String, _ table: String) throws -> Int64? {
        try admin.scalar("SELECT COUNT(*) FROM \(SQL.qualified(db, table))").int64
    }

    func haEnabled(_ admin: Connection, _ rm: String) throws -> String? {
        try admin.scalar(
            "SELECT JSON_EXTRACT(cfg_value, '$.enable') FROM \(SQL.qualified(rm, "oms_normal_config")) "
                + "WHERE cfg_name = 'ha.config'"
        ).string
    }

    @Test func printedCommandsDoWhatTheySayWithHostileNames() throws {
        let admin = try Self.connectAdmin()
        defer { admin.close() }
        let tag = Sandbox.uniqueName("mc")
        let work = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        // `P` would appear in `work` if any piece of a name ran as a command.
        let evil = "$(touch P)`touch P`'\"\\ #;x"
        let databases = MetaDatabases(
            rm: tag + "_rm " + evil, cm: "-" + tag + "_cm;\n-- ü", cmHeartbeat: tag + "_hb`" + evil)
        let other = tag + "_other"
        let user = tag + "'u\"@"
        let password = "p\"w\\d$(touch P)' `touch P` #;x ü"
        let label = "t1"
        let snapshots = databases.all.map { $0 + "__pre_" + label }
        defer {
            for db in databases.all + snapshots + [other, tag + "_restored"] {
                _ = try? admin.execute("DROP DATABASE IF EXISTS \(SQL.quoteIdentifier(db))")
            }
            _ = try? admin.execute("DROP USER IF EXISTS \(SQL.quoteString(user))@'127.0.0.1'")
        }
        let hostileTable = "t\n$(touch P);`x`"
        for db in databases.all + [other] {
            try admin.execute("CREATE DATABASE \(SQL.quoteIdentifier(db))")
        }
        try admin.execute("SET SESSION sql_mode = ''")
        for sql in [
            "CREATE TABLE \(SQL.qualified(databases.rm, "oms_normal_config")) (cfg_name varchar(100) PRIMARY KEY, cfg_value text)",
            "INSERT INTO \(SQL.qualified(databases.rm, "oms_normal_config")) VALUES ('ha.config', '{\"enable\": true, \"x\": \"a\\\\\\\\b\"}')",
            "CREATE TABLE \(SQL.qualified(databases.rm, hostileTable)) (i int PRIMARY KEY)",
            "INSERT INTO \(SQL.qualified(databases.rm, hostileTable)) VALUES (1), (2), (3)",
            "CREATE TABLE \(SQL.qualified(databases.cm, "resource_group")) (id int PRIMARY KEY, name varchar(20))",
            "INSERT INTO \(SQL.qualified(databases.cm, "resource_group")) VALUES (1, 'a'), (2, 'b')",
            "CREATE TABLE \(SQL.qualified(databases.cmHeartbeat, "heatbeat_sequence")) (id bigint AUTO_INCREMENT PRIMARY KEY, "
                + "gmt_created datetime, gmt_modified datetime)",
            "INSERT INTO \(SQL.qualified(databases.cmHeartbeat, "heatbeat_sequence")) (gmt_created) SELECT NOW() FROM \(SQL.qualified(other, "seq_1_to_50"))",
            "CREATE TABLE \(SQL.qualified(other, "keep")) (i int)",
            "INSERT INTO \(SQL.qualified(other, "keep")) VALUES (7)",
            "CREATE USER \(SQL.quoteString(user))@'127.0.0.1' IDENTIFIED BY \(SQL.quoteString(password))",
            "GRANT ALL PRIVILEGES ON *.* TO \(SQL.quoteString(user))@'127.0.0.1'",
        ] {
            try admin.execute(sql)
        }
        let backupDirectory = work.path + "/backups dir $(touch P) 'q' \"d\" \\ #x/oms"
        let manual = ManualCommands(databases: databases, backupDirectory: backupDirectory, label: label)
        func run(_ step: StepID) throws {
            let lines = manual.commands(
                for: step, newContainer: ContainerRunSpec(name: "oms_new", image: "oms:new"), oldContainer: "oms_old",
                stopTimeout: 10, consoleURL: "http://127.0.0.1:8089")
            let (status, output) = try Self.bash(lines, work: work)
            #expect(status == 0, "\(step): \(output)")
        }

        let prelude = ManualCommands.prelude(
            host: "127.0.0.1", port: try Sandbox.mysql().port, user: user,
            configPath: work.path + "/conf $(touch P)/config.yaml")
        let (status, output) = try Self.bash(prelude, work: work, stdin: password + "\n")
        #expect(status == 0, "prelude: \(output)")
        let mode =
            try FileManager.default.attributesOfItem(atPath: work.path + "/.oms-meta.cnf")[.posixPermissions]
            as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(!(try String(contentsOfFile: work.path + "/.oms-meta.cnf", encoding: .utf8)).isEmpty)

        try run(.prePrune)
        #expect(try count(admin, databases.cmHeartbeat, "heatbeat_sequence") == 1)
        try run(.haOff)
        #expect(try haEnabled(admin, databases.rm) == "false")
        try run(.prune)
        #expect(try count(admin, databases.cmHeartbeat, "heatbeat_sequence") == 1)
        try run(.catchUp)
        #expect(try count(admin, snapshots[0], hostileTable) == 3)
        #expect(try count(admin, snapshots[0], "oms_normal_config") == 1)
        #expect(try count(admin, snapshots[1], "resource_group") == 2)
        #expect(try count(admin, snapshots[2], "heatbeat_sequence") == 1)
        // The backup is written from the snapshot (after the new OMS is healthy), named for the originals.
        try run(.backup)
        for role in ["rm", "cm", "cm_hb"] {
            let file = backupDirectory + "/" + role + ".sql"
            #expect(((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").contains("CREATE TABLE"), "\(file)")
        }
        #expect(FileManager.default.fileExists(atPath: backupDirectory + "/SHA256SUMS"))
        try run(.haOn)
        #expect(try haEnabled(admin, databases.rm) == "true")
        #expect(
            try admin.scalar(
                "SELECT JSON_EXTRACT(cfg_value, '$.x') FROM \(SQL.qualified(databases.rm, "oms_normal_config"))"
            )
            .string == "\"a\\\\b\"")

        // Nothing else: no command ran from a name, the other database is intact, no other database appeared.
        #expect(!FileManager.default.fileExists(atPath: work.path + "/P"))
        #expect(!FileManager.default.fileExists(atPath: work.path + "/backups dir $(touch P) 'q' \"d\" \\ #x/P"))
        #expect(try count(admin, other, "keep") == 1)
        let ours = try admin.query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA").rows
            .compactMap { $0[0].string }.filter { $0.contains(tag) }
        #expect(Set(ours) == Set(databases.all + snapshots + [other]))
    }
}
