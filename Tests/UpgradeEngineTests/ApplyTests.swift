import Foundation
import SandboxSupport
import Testing

/// `oms-upgrade apply` and `rollback` end to end on real fixture deployments.
@Suite("apply and rollback", .integration, .tags(.mariadb, .docker))
struct ApplyTests {
    @Test(
        "3.2.2 -> 3.3.0: new container healthy, schema migrated, no row lost, heartbeat pruned, old container kept",
        arguments: MetadataServer.allCases)
    func happyPath(_ server: MetadataServer) throws {
        let scenario = try UpgradeScenario(heartbeatRows: 5000, server: server)
        defer { scenario.cleanup() }
        let before = try scenario.rowCounts()
        #expect(scenario.writerIsWriting(), "the old OMS writes while it runs")

        let result = try scenario.apply()
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("upgraded"), "\(result)")
        #expect(result.stdout.contains("Downtime:"), "\(result)")
        #expect(try scenario.deployment.isRunning(scenario.newName))
        #expect(try scenario.isHealthy(scenario.newName))
        #expect(try scenario.schemaVersion() == "3.3.0-CE")
        let after = try scenario.rowCounts()
        for (table, count) in before {
            #expect((after[table] ?? -1) >= count, "\(table): \(count) rows before, \(after[table] ?? -1) after")
        }
        try scenario.expectWriterConsistent("every write the old OMS saw committed is there")
        #expect(try scenario.captureTriggers() == [], "no change-capture trigger is left")
        #expect(try scenario.backupVerifies(), "the backup is written and verified before apply reports success")
        #expect(result.stdout.contains("Online phase"), "\(result)")
        let snapshotCM = try scenario.deployment.mysql().scalar(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE \(SandboxMySQL.quoteString(scenario.deployment.cmDatabase.replacingOccurrences(of: "_", with: "\\_") + "\\_\\_pre\\_%"))"
        )
        let lastAck = try scenario.deployment.writerAcks().last?.seq
        let inSnapshot = try snapshotCM.flatMap {
            try scenario.deployment.mysql().scalar(
                "SELECT value FROM \(SandboxMySQL.quoteIdentifier($0)).config_job WHERE `key` = 'fixture.writer.last_seq'"
            )
        }
        #expect(
            lastAck != nil && inSnapshot == lastAck.map(String.init),
            "the snapshot holds the last write before the stop: \(String(describing: inSnapshot)) vs ack \(String(describing: lastAck))"
        )
        #expect(try scenario.heartbeatCount() < 100, "the heartbeat table is pruned to its newest row (plus new beats)")
        #expect(!(try scenario.deployment.isRunning()), "the old container is stopped")
        #expect(try Sandbox.run("docker", ["inspect", scenario.deployment.containerName]).status == 0, "and kept")
        let password = try scenario.deployment.mysql().password
        #expect(!result.stdout.contains(password) && !result.stderr.contains(password))
        let journal = scenario.workDir.appending(path: "runs")
        let runs = try FileManager.default.contentsOfDirectory(atPath: journal.path)
        for run in runs {
            let text = try String(
                contentsOf: journal.appending(path: run).appending(path: "journal.jsonl"), encoding: .utf8)
            #expect(!text.contains(password), "the journal holds no secret")
        }
    }

    @Test(
        "rollback after a successful upgrade gives back the 3.2.2 deployment with its data",
        arguments: MetadataServer.allCases)
    func rollbackAfterSuccess(_ server: MetadataServer) throws {
        let scenario = try UpgradeScenario(server: server)
        defer { scenario.cleanup() }
        let before = try scenario.rowCounts()
        #expect(scenario.writerIsWriting())
        let upgrade = try scenario.apply()
        try #require(upgrade.status == 0, "\(upgrade)")
        try scenario.expectWriterConsistent("after apply")
        let acksAtStop = try scenario.deployment.writerAcks().count

        let rollback = try scenario.rollback()
        #expect(rollback.status == 0, "\(rollback)")
        #expect(try scenario.deployment.isRunning(), "the old container runs again")
        #expect(!(try scenario.deployment.isRunning(scenario.newName)), "the new container is stopped")
        #expect(try scenario.schemaVersion() == nil, "the schema is 3.2.2 again")
        #expect(try scenario.rowCounts() == before)
        #expect(try scenario.isHealthy(scenario.deployment.containerName))
        try scenario.expectWriterConsistent("after rollback every acknowledged write is back")
        #expect(scenario.deployment.waitForWriterAcks(2, after: acksAtStop), "the old OMS writes again")
        try scenario.expectWriterConsistent("and goes on from the state at the stop")
        #expect(try !scenario.quarantineDatabases().isEmpty, "the upgraded tables are kept in quarantine")

        let cleanup = try CLI.run(["cleanup", "--work-dir", scenario.workDir.path, "--yes"])
        #expect(cleanup.status == 0, "\(cleanup)")
        #expect(try scenario.quarantineDatabases().isEmpty, "cleanup drops the quarantine")
        let left = try scenario.deployment.mysql().scalar(
            "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE \(SandboxMySQL.quoteString(scenario.deployment.rmDatabase.replacingOccurrences(of: "_", with: "\\_") + "\\_\\_%"))"
        )
        #expect(left == "0", "no sibling database of rm is left")
        #expect(try scenario.rowCounts() == before, "cleanup never touches the live databases")
    }

    @Test(
        "init fails half-way: automatic rollback, old container healthy, data as before, half-migrated tables in quarantine",
        arguments: MetadataServer.allCases
    )
    func initFailureRollsBack(_ server: MetadataServer) throws {
        let scenario = try UpgradeScenario(server: server)
        defer { scenario.cleanup() }
        let before = try scenario.rowCounts()
        try scenario.deployment.setFlag(".fixture-fail-init")

        let result = try scenario.apply()
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("init"), "\(result)")
        #expect(result.stderr.contains("rolled back"), "\(result)")
        #expect(try scenario.deployment.isRunning())
        #expect(try scenario.isHealthy(scenario.deployment.containerName))
        #expect(try scenario.schemaVersion() == nil)
        #expect(try scenario.rowCounts() == before)
        try scenario.expectWriterConsistent()
        let quarantine = try scenario.quarantineDatabases()
        #expect(!quarantine.isEmpty)
        let hasHalfMigratedColumn = try quarantine.contains { database in
            try scenario.deployment.mysql().scalar(
                "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = \(SandboxMySQL.quoteString(database)) AND TABLE_NAME = 'oms_project' AND COLUMN_NAME = 'labels'"
            ) == "1"
        }
        #expect(hasHalfMigratedColumn, "the half-applied migration is kept in quarantine: \(quarantine)")
    }

    @Test("health never turns healthy: rollback after the timeout")
    func healthTimeoutRollsBack() throws {
        let scenario = try UpgradeScenario()
        defer { scenario.cleanup() }
        let before = try scenario.rowCounts()
        try scenario.deployment.setFlag(".fixture-never-healthy")
        let running = try CLI.start(scenario.applyArguments(["--health-timeout", "4"]))
        // The flag lives on the shared store mount: lift it once the rollback starts, so the old OMS can come back.
        let rolledBack = eventually(timeout: 120) { scenario.journalHas("rollback-started") }
        try scenario.deployment.setFlag(".fixture-never-healthy", false)
        let result = running.wait()
        #expect(rolledBack)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("health"), "\(result)")
        #expect(try scenario.deployment.isRunning())
        #expect(try scenario.rowCounts() == before)
        try scenario.expectWriterConsistent()
    }

    @Test("a second apply of the same deployment is refused while the first runs", arguments: MetadataServer.allCases)
    func concurrentApplyRefused(_ server: MetadataServer) throws {
        let scenario = try UpgradeScenario(server: server)
        defer { scenario.cleanup() }
        try scenario.deployment.setFlag(".fixture-init-sleep", contents: "6")
        let first = try CLI.start(scenario.applyArguments())
        // The online copy comes first: minutes on a loaded OceanBase kernel.
        #expect(eventually(timeout: 300) { scenario.journalHas("step-started", step: "init") })

        var second = scenario.applyArguments()
        second[second.firstIndex(of: "--name")! + 1] = Sandbox.uniqueName("oms_other")
        let refused = try CLI.run(second)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.lowercased().contains("lock"), "\(refused)")
        let result = first.wait()
        #expect(result.status == 0, "the first apply goes on undisturbed: \(result)")
    }
}
