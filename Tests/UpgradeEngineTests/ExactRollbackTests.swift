import Foundation
import SandboxSupport
import Testing

/// A rollback that restores from the backup (the snapshot dropped by `cleanup`) gives back exactly the
/// pre-upgrade state: every table's definition and rows, and every view, trigger and routine.
@Suite("exact rollback from the backup", .integration, .tags(.mariadb, .docker))
struct ExactRollbackTests {
    /// A fixture deployment on `server`.
    static func scenario(on server: MetadataServer) throws -> UpgradeScenario {
        try UpgradeScenario(server: server)
    }

    /// Adds a view (rm), and a table with a generated column carrying a trigger, a keyless table and a
    /// procedure (cm): ordinary objects that OMS or its operators may add.
    static func addObjects(_ deployment: FixtureDeployment) throws {
        let mysql = try deployment.mysql()
        let rm = SandboxMySQL.quoteIdentifier(deployment.rmDatabase)
        let cm = SandboxMySQL.quoteIdentifier(deployment.cmDatabase)
        try mysql.run([
            "CREATE VIEW \(rm).v_project_count AS SELECT COUNT(*) AS n FROM \(rm).oms_project",
            """
            CREATE TABLE \(cm).ops_audit (id bigint AUTO_INCREMENT PRIMARY KEY, name varchar(40),
              name_len int AS (CHAR_LENGTH(name)) STORED, created varchar(40))
            """,
            "CREATE TABLE \(cm).ops_keyless (k int, v varchar(20))",
            "INSERT INTO \(cm).ops_keyless VALUES (1, 'a'), (1, 'a'), (NULL, NULL), (2, 'ünï')",
        ])
        try mysql.createTrigger(
            "CREATE TRIGGER ops_audit_stamp BEFORE INSERT ON ops_audit FOR EACH ROW SET NEW.created = CONCAT('by ', NEW.name)",
            name: "ops_audit_stamp", database: deployment.cmDatabase)
        try mysql.run(
            [
                "CREATE PROCEDURE ops_count(OUT n int) SELECT COUNT(*) INTO n FROM ops_keyless",
                "INSERT INTO ops_audit (name) VALUES ('first'), ('second')",
            ], database: deployment.cmDatabase)
    }

    /// Every table's definition (without its AUTO_INCREMENT counter) and rows — the heartbeat database's
    /// rows left out, which the upgrade prunes by design — and every view, trigger and routine of the deployment.
    static func state(_ deployment: FixtureDeployment) throws -> [String: String] {
        let mysql = try deployment.mysql()
        var state: [String: String] = [:]
        for database in deployment.databases {
            let db = SandboxMySQL.quoteString(database)
            let qdb = SandboxMySQL.quoteIdentifier(database)
            for row in try mysql.rows(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(db) AND TABLE_TYPE = 'BASE TABLE'"
            ) {
                let table = SandboxMySQL.quoteIdentifier(row[0])
                let create = try mysql.rows("SHOW CREATE TABLE \(qdb).\(table)").first?[1] ?? ""
                state["\(database).\(row[0]) definition"] = create.replacingOccurrences(
                    of: #" AUTO_INCREMENT ?= ?[0-9]+"#, with: "", options: .regularExpression)
                if database != deployment.cmHeartbeatDatabase {
                    state["\(database).\(row[0]) rows"] = try mysql.rows("SELECT * FROM \(qdb).\(table)")
                        .map { $0.joined(separator: "\t") }.sorted().joined(separator: "\n")
                }
            }
            for row in try mysql.rows(
                "SELECT TABLE_NAME, VIEW_DEFINITION, DEFINER, SECURITY_TYPE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = \(db)"
            ) {
                state["\(database) view \(row[0])"] = row.dropFirst().joined(separator: " | ")
            }
            for row in try mysql.rows(
                "SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_TIMING, ACTION_STATEMENT, DEFINER, SQL_MODE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = \(db)"
            ) {
                state["\(database) trigger \(row[0])"] = row.dropFirst().joined(separator: " | ")
            }
            for row in try mysql.rows(
                "SELECT ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION, DEFINER, SQL_MODE, SECURITY_TYPE, IS_DETERMINISTIC FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = \(db)"
            ) {
                state["\(database) routine \(row[0])"] = row.dropFirst().joined(separator: " | ")
            }
        }
        return state
    }

    /// Stops the old OMS's continuous writer, so that the state before `apply` is the state at the stop.
    static func stopWriter(_ deployment: FixtureDeployment) throws {
        try deployment.setFlag(".fixture-writer", contents: "off")
        var last = -1
        for _ in 0..<60 {
            Thread.sleep(forTimeInterval: 1)
            let count = (try? deployment.writerAcks().count) ?? 0
            if count == last { return }
            last = count
        }
        throw SandboxError("the fixture's writer did not stop")
    }

    @Test(
        "apply, cleanup, rollback: tables, rows, view, trigger, procedure, generated column and keyless table as before",
        arguments: MetadataServer.allCases)
    func applyCleanupRollback(server: MetadataServer) throws {
        let scenario = try Self.scenario(on: server)
        defer { scenario.cleanup() }
        try Self.stopWriter(scenario.deployment)
        try Self.addObjects(scenario.deployment)
        let before = try Self.state(scenario.deployment)
        // The fixture's rm has a view of its own; with ours that makes two.
        #expect(before.keys.filter { $0.contains(" view ") }.count == 2, "\(before.keys.sorted())")
        #expect(before.keys.contains { $0.hasSuffix("view v_project_count") })
        #expect(before.keys.contains { $0.hasSuffix("trigger ops_audit_stamp") })
        #expect(before.keys.contains { $0.hasSuffix("routine ops_count") })

        let upgrade = try scenario.apply()
        try #require(upgrade.status == 0, "\(upgrade)")
        #expect(try scenario.schemaVersion() == "3.3.0-CE")
        #expect(
            (upgrade.stdout + upgrade.stderr).contains(" views, 1 trigger, 1 procedure"),
            "the backup says what it holds: \(upgrade)")
        #expect(try scenario.backupVerifies())

        let cleanup = try CLI.run(["cleanup", "--work-dir", scenario.workDir.path, "--yes"])
        try #require(cleanup.status == 0, "\(cleanup)")
        let status = try scenario.status()
        #expect(status["rollbackKind"] as? String == "restore from the backup", "\(status)")
        #expect(
            (status["backupHolds"] as? String)?.contains(" views, 1 trigger, 1 procedure") == true, "\(status)")

        let rollback = try scenario.rollback()
        #expect(rollback.status == 0, "\(rollback)")
        #expect((rollback.stdout + rollback.stderr).contains("restoring the verified backup"), "\(rollback)")
        #expect(try scenario.schemaVersion() == nil, "the schema is 3.2.2 again")
        #expect(try scenario.isHealthy(scenario.deployment.containerName))
        let after = try Self.state(scenario.deployment)
        for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
            Issue.record("\(key): before \(before[key] ?? "absent"), after \(after[key] ?? "absent")")
        }
        // The objects work on the restored tables.
        let mysql = try scenario.deployment.mysql()
        _ = try mysql.query("INSERT INTO ops_audit (name) VALUES ('third')", database: scenario.deployment.cmDatabase)
        #expect(
            try mysql.scalar(
                "SELECT CONCAT(created, '/', name_len) FROM ops_audit WHERE name = 'third'",
                database: scenario.deployment.cmDatabase) == "by third/5")
    }

    @Test(
        "apply, the new OMS changes the objects, rollback by snapshot swap: every object as at the stop",
        arguments: MetadataServer.allCases)
    func applyChangeObjectsRollback(server: MetadataServer) throws {
        let scenario = try Self.scenario(on: server)
        defer { scenario.cleanup() }
        try Self.stopWriter(scenario.deployment)
        try Self.addObjects(scenario.deployment)
        let before = try Self.state(scenario.deployment)

        let upgrade = try scenario.apply()
        try #require(upgrade.status == 0, "\(upgrade)")
        // What a new version's init (or an operator) may do to the objects after the stop.
        _ = try scenario.deployment.mysql().query(
            """
            DROP TRIGGER ops_audit_stamp;
            DROP PROCEDURE ops_count;
            CREATE PROCEDURE ops_count(OUT n int) SELECT 42 INTO n;
            CREATE FUNCTION ops_new() RETURNS int DETERMINISTIC RETURN 1;
            """, database: scenario.deployment.cmDatabase)
        #expect(try Self.state(scenario.deployment) != before)
        #expect(try scenario.status()["rollbackKind"] as? String == "snapshot swap")

        let rollback = try scenario.rollback()
        #expect(rollback.status == 0, "\(rollback)")
        #expect(try scenario.schemaVersion() == nil, "the schema is 3.2.2 again")
        let after = try Self.state(scenario.deployment)
        for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
            Issue.record("\(key): before \(before[key] ?? "absent"), after \(after[key] ?? "absent")")
        }
    }
}
