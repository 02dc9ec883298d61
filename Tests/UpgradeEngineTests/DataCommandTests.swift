import Foundation
import SandboxSupport
import Testing

/// `prune-heartbeat`, `backup`, `verify` and `restore` from the command line, on a real deployment.
@Suite("data commands", .integration, .tags(.mariadb, .docker))
struct DataCommandTests {
    @Test(
        "backup, verify, tamper, restore under a suffix, refuse a non-empty target",
        arguments: ["native", "mysqldump"],
        MetadataServer.allCases)
    func backupVerifyRestore(_ dumper: String, _ server: MetadataServer) throws {
        let scenario = try UpgradeScenario(heartbeatRows: 3000, projectRows: 100, server: server)
        defer { scenario.cleanup() }
        let deployment = scenario.deployment
        let out = scenario.workDir.appending(path: "backup")
        let password = try scenario.deployment.mysql().password
        if dumper == "mysqldump" && server == .oceanbase {
            // The OceanBase kernel accepts LOCK TABLES but lets writers on: a running OMS changes the
            // tables under mysqldump, and the backup says so and stops. The guide stops OMS first.
            let refused = try CLI.run([
                "backup", "--container", deployment.containerName, "--out", out.path, "--dumper", dumper,
            ])
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("Stop OMS"), "\(refused)")
            _ = try Sandbox.runChecked("docker", ["stop", "-t", "5", deployment.containerName])
            try? FileManager.default.removeItem(at: out)
        }

        let backup = try CLI.run([
            "backup", "--container", deployment.containerName, "--out", out.path, "--dumper", dumper,
        ])
        #expect(backup.status == 0, "\(backup)")
        #expect(!backup.stdout.contains(password) && !backup.stderr.contains(password))
        let mode = try FileManager.default.attributesOfItem(atPath: out.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o700)
        for file in try FileManager.default.contentsOfDirectory(atPath: out.path) {
            let fileMode =
                try FileManager.default.attributesOfItem(atPath: out.appending(path: file).path)[.posixPermissions]
                as? NSNumber
            #expect(fileMode?.intValue == 0o600, "\(file)")
        }
        #expect(try CLI.run(["verify", out.path]).status == 0)

        let suffix = "_r\(Int.random(in: 1000...9999))"
        defer {
            try? scenario.deployment.mysql().dropDatabases(
                [deployment.rmDatabase, deployment.cmDatabase, deployment.cmHeartbeatDatabase].map { $0 + suffix })
        }
        let restore = try CLI.run(["restore", out.path, "--config", deployment.configPath.path, "--suffix", suffix])
        #expect(restore.status == 0, "\(restore)")
        let mysql = try scenario.deployment.mysql()
        let original = try mysql.scalar(
            "SELECT COUNT(*) FROM \(SandboxMySQL.quoteIdentifier(deployment.rmDatabase)).oms_project")
        let restored = try mysql.scalar(
            "SELECT COUNT(*) FROM \(SandboxMySQL.quoteIdentifier(deployment.rmDatabase + suffix)).oms_project")
        #expect(original == restored)

        let again = try CLI.run(["restore", out.path, "--config", deployment.configPath.path, "--suffix", suffix])
        #expect(again.status == 1, "\(again)")
        #expect(again.stderr.contains(deployment.rmDatabase + suffix) && again.stderr.contains("--force"), "\(again)")

        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: out.path).first { $0.hasSuffix(".sql") })
        let handle = try FileHandle(forWritingTo: out.appending(path: file))
        try handle.truncate(atOffset: 100)
        try handle.close()
        let tampered = try CLI.run(["verify", out.path])
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains(file), "\(tampered)")
        let refused = try CLI.run(["restore", out.path, "--config", deployment.configPath.path, "--suffix", "_x"])
        #expect(refused.status == 1, "a backup that does not verify is never restored: \(refused)")
    }

    @Test(
        "prune-heartbeat refuses a running OMS, prunes online, then to one row with ids continuing above the old maximum",
        arguments: MetadataServer.allCases
    )
    func pruneHeartbeat(_ server: MetadataServer) throws {
        let scenario = try UpgradeScenario(heartbeatRows: 50_000, server: server)
        defer { scenario.cleanup() }
        let deployment = scenario.deployment
        let refused = try CLI.run(["prune-heartbeat", "--container", deployment.containerName])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--strategy online"), "\(refused)")

        let online = try CLI.run(["prune-heartbeat", "--container", deployment.containerName, "--strategy", "online"])
        #expect(online.status == 0, "\(online)")
        #expect(try scenario.heartbeatCount() < 100)

        _ = try Sandbox.runChecked("docker", ["stop", "-t", "5", deployment.containerName])
        let maxID = try DataFingerprint.heartbeatMaxID(deployment)
        let table = "\(SandboxMySQL.quoteIdentifier(deployment.cmHeartbeatDatabase)).heatbeat_sequence"
        let counter =
            Int64(
                try scenario.deployment.mysql().scalar(
                    "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SandboxMySQL.quoteString(deployment.cmHeartbeatDatabase)) AND TABLE_NAME = 'heatbeat_sequence'"
                ) ?? "") ?? 0
        let swap = try CLI.run(["prune-heartbeat", "--container", deployment.containerName])
        #expect(swap.status == 0, "\(swap)")
        #expect(try scenario.heartbeatCount() == 1)
        _ = try scenario.deployment.mysql().query(
            "INSERT INTO \(table) (gmt_created, gmt_modified) VALUES (NOW(), NOW())")
        // The next id continues where the old table's counter was (as after the guide's DELETE), above the old maximum.
        let next = try DataFingerprint.heartbeatMaxID(deployment)
        #expect(
            next > maxID && next == max(counter, maxID + 1), "next \(next), old max \(maxID), old counter \(counter)")
    }

    @Test("usage errors exit 2")
    func usage() throws {
        #expect(try CLI.run(["backup"]).status == 2)
        #expect(try CLI.run(["plan", "--container", "x"]).status == 2)
        #expect(try CLI.run(["apply", "--container", "x", "--image", "y", "--dumper", "zip"]).status == 2)
    }

    @Test("backup works by default on a deployment with a stored procedure, and a restore brings it back")
    func backupWithRoutines() throws {
        let scenario = try UpgradeScenario()
        defer { scenario.cleanup() }
        let deployment = scenario.deployment
        let mysql = try Sandbox.mysql()
        _ = try mysql.query(
            "CREATE PROCEDURE ops_hosts(OUT n int) SELECT COUNT(*) INTO n FROM host", database: deployment.cmDatabase)
        let out = scenario.workDir.appending(path: "backup")
        let backup = try CLI.run(["backup", "--container", deployment.containerName, "--out", out.path])
        #expect(backup.status == 0, "\(backup)")
        #expect(backup.stdout.contains("1 procedure"), "\(backup)")
        let suffix = "_r\(Int.random(in: 1000...9999))"
        defer { try? mysql.dropDatabases(deployment.databases.map { $0 + suffix }) }
        let restore = try CLI.run(["restore", out.path, "--config", deployment.configPath.path, "--suffix", suffix])
        #expect(restore.status == 0, "\(restore)")
        #expect(
            try mysql.scalar(
                "SELECT ROUTINE_DEFINITION FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = \(SandboxMySQL.quoteString(deployment.cmDatabase + suffix)) AND ROUTINE_NAME = 'ops_hosts'"
            ) == "SELECT COUNT(*) INTO n FROM host")
    }
}
