import Foundation
import SandboxSupport
import Testing

/// The online copy, its change capture and the catch-up at the stop, on tables the fixture lacks.
@Suite("online copy and catch-up", .integration, .tags(.mariadb, .docker))
struct OnlineCopyTests {
    /// Extra tables in the deployment's rm database: no key with duplicate rows, generated columns,
    /// a foreign key, a composite key, and a trigger of the deployment's own.
    static func createExtraTables(_ rm: String, on mysql: SandboxMySQL) throws {
        let db = SandboxMySQL.quoteIdentifier(rm)
        // rm is the current database: the OceanBase kernel refuses CREATE TRIGGER without one.
        try mysql.run(
            [
                "CREATE TABLE \(db).x_nokey (a int, b varchar(20)) ENGINE=InnoDB",
                "INSERT INTO \(db).x_nokey VALUES (1, 'dup'), (1, 'dup'), (2, NULL), (3, 'three')",
                """
                CREATE TABLE \(db).x_gen (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, x int NOT NULL,
                  y int AS (x * 2) STORED, z int AS (x + 1) VIRTUAL) ENGINE=InnoDB
                """,
                "INSERT INTO \(db).x_gen (x) VALUES (1), (2), (3), (4), (5)",
                "CREATE TABLE \(db).x_parent (id int NOT NULL PRIMARY KEY, name varchar(20)) ENGINE=InnoDB",
                """
                CREATE TABLE \(db).x_child (id int NOT NULL PRIMARY KEY, parent_id int NOT NULL,
                  CONSTRAINT fk_x_child FOREIGN KEY (parent_id) REFERENCES \(db).x_parent (id)) ENGINE=InnoDB
                """,
                "INSERT INTO \(db).x_parent VALUES (1, 'one'), (2, 'two'), (3, 'three')",
                "INSERT INTO \(db).x_child VALUES (10, 1), (20, 2), (30, 2)",
                "CREATE TABLE \(db).x_pair (a int NOT NULL, b int NOT NULL, v varchar(10), PRIMARY KEY (a, b)) ENGINE=InnoDB",
                "INSERT INTO \(db).x_pair VALUES (1, 1, 'a'), (1, 2, 'b')",
                "CREATE TABLE \(db).x_audit (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, gen_id bigint) ENGINE=InnoDB",
            ], database: rm)
        try mysql.createTrigger(
            "CREATE TRIGGER \(db).x_user_trigger AFTER INSERT ON \(db).x_gen FOR EACH ROW INSERT INTO \(db).x_audit (gen_id) VALUES (NEW.id)",
            name: "x_user_trigger", database: rm)
    }

    /// Changes in every extra table: inserts, updates (also of keys), deletes, duplicates.
    static func changeExtraTables(_ rm: String, on mysql: SandboxMySQL) throws {
        let db = SandboxMySQL.quoteIdentifier(rm)
        try mysql.query(
            """
            INSERT INTO \(db).x_nokey VALUES (1, 'dup'), (4, 'four');
            DELETE FROM \(db).x_nokey WHERE a = 3;
            UPDATE \(db).x_nokey SET b = 'two' WHERE a = 2;
            INSERT INTO \(db).x_gen (x) VALUES (6), (7);
            UPDATE \(db).x_gen SET x = 100 WHERE id = 2;
            UPDATE \(db).x_gen SET id = 1000 WHERE id = 3;
            DELETE FROM \(db).x_gen WHERE id = 4;
            INSERT INTO \(db).x_parent VALUES (4, 'four');
            INSERT INTO \(db).x_child VALUES (40, 4);
            UPDATE \(db).x_child SET parent_id = 3 WHERE id = 30;
            DELETE FROM \(db).x_child WHERE id = 10;
            DELETE FROM \(db).x_parent WHERE id = 1;
            UPDATE \(db).x_pair SET v = 'B' WHERE a = 1 AND b = 2;
            INSERT INTO \(db).x_pair VALUES (2, 1, 'c');
            """)
    }

    /// `CHECKSUM TABLE` of each extra table (generated columns included) plus the user's trigger.
    static func fingerprint(_ rm: String, on mysql: SandboxMySQL) throws -> [String] {
        var result: [String] = []
        for table in ["x_nokey", "x_gen", "x_parent", "x_child", "x_pair", "x_audit"] {
            let qualified = "\(SandboxMySQL.quoteIdentifier(rm)).\(table)"
            let rows = try mysql.rows("SELECT * FROM \(qualified) ORDER BY 1, 2").map { $0.joined(separator: ",") }
            result.append("\(table): \(rows.joined(separator: " | "))")
        }
        result += try mysql.rows(
            "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = \(SandboxMySQL.quoteString(rm)) ORDER BY 1"
        ).map { "trigger \($0[0])" }.filter { !$0.hasPrefix("trigger oms_cc_") }
        return result
    }

    @Test(
        "changes between the online copy and the stop reach the snapshot: no key, duplicates, generated columns, foreign keys, user triggers; apply, then rollback",
        arguments: MetadataServer.allCases
    )
    func changesAfterCopyAreCaughtUp(_ server: MetadataServer) throws {
        let scenario = try UpgradeScenario(server: server)
        defer { scenario.cleanup() }
        let rm = scenario.deployment.rmDatabase
        let mysql = try scenario.deployment.mysql()
        try Self.createExtraTables(rm, on: mysql)
        #expect(scenario.writerIsWriting())

        let killed = try scenario.apply(environment: ["OMS_UPGRADE_FAULT_KILL": "online-copy.completed"])
        #expect(killed.status == 128 + 9, "\(killed)")
        #expect(try scenario.captureTriggers().count >= 3, "the capture triggers are in place until the stop")
        try Self.changeExtraTables(rm, on: mysql)
        let atStop = try Self.fingerprint(rm, on: mysql)
        #expect(atStop.contains("trigger x_user_trigger"))

        let resumed = try scenario.resume()
        #expect(resumed.status == 0, "\(resumed)")
        #expect(try scenario.schemaVersion() == "3.3.0-CE")
        #expect(try scenario.captureTriggers() == [], "the catch-up removes the capture triggers")
        let afterApply = try Self.fingerprint(rm, on: mysql)
        #expect(afterApply == atStop, "the upgrade keeps the extra tables and the user's trigger")
        try scenario.expectWriterConsistent()
        #expect(try scenario.backupVerifies())

        let rollback = try scenario.rollback()
        #expect(rollback.status == 0, "\(rollback)")
        #expect(try scenario.schemaVersion() == nil)
        let afterRollback = try Self.fingerprint(rm, on: mysql)
        #expect(afterRollback == atStop, "the snapshot held the state at the stop, changes included")
        let problems = try scenario.writerProblems()
        #expect(problems == [], "\(rollback.stdout)\n\(rollback.stderr)")
    }
}
