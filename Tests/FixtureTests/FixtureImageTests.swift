import Foundation
import SandboxSupport
import Synchronization
import Testing

/// The fixture images build and behave as the contract in fixtures/oms-image/README.md says.
@Suite("OMS fixture images", .integration, .tags(.mariadb, .docker))
struct FixtureImageTests {
    @Test("build.sh builds both images; they run the MariaDB client")
    func imagesBuild() throws {
        try Sandbox.requireDocker()
        let build = Sandbox.repoRoot.appendingPathComponent("fixtures/oms-image/build.sh").path
        // The shared tags: built when missing or stale, otherwise left alone.
        try Sandbox.runChecked("bash", [build])
        try Sandbox.requireFixtureImages()
        // A forced build into a private repository, so tests running meanwhile keep their images.
        let repo = Sandbox.uniqueName("oms_fixture_build_test")
        defer { _ = try? Sandbox.run("docker", ["rmi", "-f", "\(repo):3.2.2", "\(repo):3.3.0"]) }
        let started = Date()
        try Sandbox.runChecked("bash", [build, "--rebuild", "--repo", repo])
        #expect(Date().timeIntervalSince(started) < 60)
        for version in ["3.2.2", "3.3.0"] {
            let image = "\(repo):\(version)"
            let version = try Sandbox.runChecked(
                "docker", ["run", "--rm", "--net", "host", image, "mariadb", "--version"])
            #expect(version.contains("MariaDB"))
            let config = try Sandbox.runChecked(
                "docker", ["image", "inspect", "--format", "{{json .Config.Cmd}}", image])
            #expect(config.contains("/root/docker_cmd.sh"))
            let bash = try Sandbox.runChecked(
                "docker", ["run", "--rm", image, "bash", "-c", "test -x /root/docker_init.sh && echo ok"])
            #expect(bash.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
        }
    }

    @Test("uniqueName gives distinct [a-z0-9_] names; freePort gives a bindable port")
    func namesAndPorts() {
        let a = Sandbox.uniqueName("Fix-Ture.Test")
        let b = Sandbox.uniqueName("Fix-Ture.Test")
        #expect(a != b)
        #expect(a.hasPrefix("fix_ture_test_"))
        #expect(a.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" })
        let port = Sandbox.freePort()
        let next = Sandbox.freePort()
        #expect(port >= 10_000 && port + 4 < Sandbox.ephemeralRangeStart, "\(port) is below the ephemeral range")
        #expect((port..<port + 5).allSatisfy { Sandbox.canBind(port: $0) })
        #expect(Set(port..<port + 5).isDisjoint(with: next..<next + 5), "never handed out twice")
    }
}

/// A deployed OMS 3.2.2 fixture: health, logs, schema, heartbeats.
@Suite("OMS 3.2.2 fixture deployment", .integration, .tags(.mariadb, .docker))
struct FixtureDeploymentTests {
    @Test("deploy-fixture.sh: healthy, last log line, schema, idempotent init, prompt stop")
    func deployedFixture() throws {
        let fixture = try Sandbox.deployFixture(heartbeatRows: 5000, projectRows: 40)
        defer { try? fixture.remove() }

        #expect(fixture.healthBody()?.contains(#"{"success":true,"data":{"healthy":true}}"#) == true)
        #expect(
            try FixtureSupport.eventually(timeout: 5) {
                try fixture.lastLogLine() == nil
                    ? false : try fixture.lastLogLine()!.hasSuffix("OMS service start successfully")
            })

        // config.yaml: private, values quoted like the field.
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.configPath.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let config = try String(contentsOf: fixture.configPath, encoding: .utf8)
        #expect(config.contains("drc_rm_db: \"\(fixture.rmDatabase)\""))
        #expect(config.contains("nginx_server_port: \(fixture.port)"))

        // The schema docker_init.sh made, in all three databases.
        let rm = try FixtureSupport.tables(fixture.rmDatabase)
        #expect(
            rm.isSuperset(of: [
                "oms_normal_config", "cluster_info", "oms_project", "oms_sync_project", "oms_data_source",
                "v_project_summary",
            ]))
        #expect(!rm.contains("oms_version"))
        #expect(try FixtureSupport.tables(fixture.cmDatabase).isSuperset(of: ["resource_group", "host", "config_job"]))
        #expect(try FixtureSupport.tables(fixture.cmHeartbeatDatabase) == ["heatbeat_sequence"])
        let mysql = try Sandbox.mysql()
        let ha = try mysql.scalar(
            "SELECT cfg_value FROM oms_normal_config WHERE cfg_name = 'ha.config'", database: fixture.rmDatabase)
        #expect(ha == #"{"enable":false,"perceiveStoreClientCheckIntervalSeconds":30}"#)
        #expect(try FixtureSupport.count(fixture.rmDatabase, "oms_project") == 40)
        #expect(try FixtureSupport.count(fixture.cmHeartbeatDatabase, "heatbeat_sequence") >= 5000)
        #expect(try mysql.scalar("SELECT ip FROM host", database: fixture.cmDatabase) == "127.0.0.1")
        let cmURL = try mysql.scalar("SELECT cm_url FROM cluster_info", database: fixture.rmDatabase)
        #expect(cmURL == "http://127.0.0.1:\(fixture.port + 1)")

        // docker_init.sh logged to /home/admin/logs and is a no-op the second time.
        let logs = try FileManager.default.contentsOfDirectory(atPath: fixture.logsDirectory.path)
        #expect(logs.contains { $0.hasPrefix("docker_init.log.") })
        let checksum = try mysql.query("CHECKSUM TABLE oms_normal_config, oms_project", database: fixture.rmDatabase)
        let again = try FixtureSupport.runInit(in: fixture.containerName)
        #expect(again.status == 0)
        #expect(again.output.contains("nothing to do"))
        #expect(
            try mysql.query("CHECKSUM TABLE oms_normal_config, oms_project", database: fixture.rmDatabase) == checksum)

        // SIGTERM is handled at once.
        let started = Date()
        try FixtureSupport.stop(fixture.containerName)
        #expect(Date().timeIntervalSince(started) < 2.5)
    }

    @Test("heartbeat rows grow while the fixture runs")
    func heartbeatsGrow() throws {
        let fixture = try Sandbox.deployFixture(heartbeatRows: 0, projectRows: 0)
        defer { try? fixture.remove() }
        let before = try FixtureSupport.count(fixture.cmHeartbeatDatabase, "heatbeat_sequence")
        #expect(
            try FixtureSupport.eventually(timeout: 10) {
                try FixtureSupport.count(fixture.cmHeartbeatDatabase, "heatbeat_sequence") >= before + 2
            })
        // Nothing is printed after the start line, however long it runs.
        #expect(try fixture.lastLogLine()?.hasSuffix("OMS service start successfully") == true)
    }

    @Test(".fixture-never-healthy keeps /oms/health false")
    func neverHealthy() throws {
        let fixture = try Sandbox.deployFixture(heartbeatRows: 0, projectRows: 0)
        defer { try? fixture.remove() }
        try FixtureSupport.stop(fixture.containerName)
        try fixture.setFlag(".fixture-never-healthy")
        try Sandbox.runChecked("docker", ["start", fixture.containerName])
        Thread.sleep(forTimeInterval: 3)
        #expect(fixture.healthBody()?.contains(#""healthy":false"#) == true)
        try fixture.setFlag(".fixture-never-healthy", false)
        #expect(fixture.waitUntilHealthy(timeout: 10))
    }

    @Test("config.yaml with a hostile password and a user@tenant name is understood")
    func hostilePassword() throws {
        let mysql = try Sandbox.mysql()
        let user = Sandbox.uniqueName("fx_user") + "@tenant"
        let password = #"p"a ss#w\o'rd$x`y \n end; -- "#
        let account = "\(SandboxMySQL.quoteString(user))@'127.0.0.1'"
        try mysql.query(
            "CREATE USER \(account) IDENTIFIED BY \(SandboxMySQL.quoteString(password)); GRANT ALL ON *.* TO \(account);"
        )
        defer { _ = try? mysql.query("DROP USER IF EXISTS \(account)") }
        let dir = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let passwordFile = dir.appendingPathComponent("password")
        try Sandbox.writePrivateFile(passwordFile, contents: password)

        let fixture = try Sandbox.deployFixture(
            heartbeatRows: 10, projectRows: 5,
            extraArgs: ["--meta-user", user, "--meta-password-file", passwordFile.path])
        defer { try? fixture.remove() }
        #expect(fixture.isHealthy())
        let logs = try fixture.logs()
        #expect(!logs.contains(password))
        let config = try String(contentsOf: fixture.configPath, encoding: .utf8)
        #expect(config.contains(#"oms_meta_password: "p\"a ss#w\\o'rd$x`y \\n end; -- ""#))
    }
}

/// The 3.3.0 image's docker_init.sh: migrates a 3.2.2 schema, refuses anything else,
/// and can be made to fail half-way.
@Suite("OMS 3.3.0 fixture init", .integration, .tags(.mariadb, .docker))
struct FixtureUpgradeInitTests {
    @Test("3.3.0 init refuses a schema that is not 3.2.2")
    func refusesUnknownSchema() throws {
        let fixture = try Sandbox.deployFixture(extraArgs: ["--image", Sandbox.fixtureImage("3.3.0"), "--no-init"])
        defer { try? fixture.remove() }
        // No databases at all.
        var result = try FixtureSupport.runInit(in: fixture.containerName)
        #expect(result.status == 2)
        #expect(result.output.contains("refusing to upgrade"))
        // Something that is not OMS metadata.
        let mysql = try Sandbox.mysql()
        try mysql.query(
            "CREATE DATABASE \(SandboxMySQL.quoteIdentifier(fixture.rmDatabase)); CREATE TABLE \(SandboxMySQL.quoteIdentifier(fixture.rmDatabase)).t (id int primary key);"
        )
        result = try FixtureSupport.runInit(in: fixture.containerName)
        #expect(result.status == 2)
        #expect(try FixtureSupport.tables(fixture.rmDatabase) == ["t"])
        #expect(fixture.healthBody()?.contains(#""healthy":false"#) == true)
    }

    @Test("3.3.0 init migrates a 3.2.2 schema and the new container becomes healthy")
    func migrates() throws {
        let fixture = try Sandbox.deployFixture(heartbeatRows: 100, projectRows: 30)
        defer { try? fixture.remove() }
        try FixtureSupport.stop(fixture.containerName)
        let upgraded = try FixtureSupport.startContainer(
            for: fixture, image: Sandbox.fixtureImage("3.3.0"), name: fixture.containerName + "_330")
        let result = try FixtureSupport.runInit(in: upgraded)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("[10/10]"))
        let mysql = try Sandbox.mysql()
        #expect(try mysql.scalar("SELECT version FROM oms_version", database: fixture.rmDatabase) == "3.3.0-CE")
        #expect(
            try FixtureSupport.columns(fixture.rmDatabase, "oms_project").isSuperset(of: [
                "labels", "ddl_sync_mode", "gmt_finished",
            ]))
        #expect(try FixtureSupport.columns(fixture.cmDatabase, "host").contains("arch"))
        #expect(try FixtureSupport.tables(fixture.cmDatabase).contains("node_metrics"))
        #expect(try FixtureSupport.tables(fixture.rmDatabase).contains("oms_project_label"))
        let ha = try mysql.scalar(
            "SELECT JSON_EXTRACT(cfg_value, '$.enable') FROM oms_normal_config WHERE cfg_name = 'ha.config'",
            database: fixture.rmDatabase)
        #expect(ha == "false")
        #expect(try FixtureSupport.count(fixture.rmDatabase, "oms_project") == 30)
        #expect(fixture.waitUntilHealthy(timeout: 10))
        #expect(
            try FixtureSupport.eventually(timeout: 5) {
                try fixture.lastLogLine(container: upgraded)?.hasSuffix("OMS service start successfully") == true
            })
        // Not idempotent by design: a second run refuses.
        #expect(try FixtureSupport.runInit(in: upgraded).status == 2)
        // The old 3.2.2 container on the migrated schema never becomes healthy.
        try FixtureSupport.stop(upgraded)
        try Sandbox.runChecked("docker", ["start", fixture.containerName])
        Thread.sleep(forTimeInterval: 3)
        #expect(fixture.healthBody()?.contains(#""healthy":false"#) == true)
        #expect(try fixture.containersUsingDirectory().contains(upgraded))
    }

    @Test("with .fixture-fail-init, 3.3.0 init exits 1 leaving a half-applied migration")
    func failsHalfway() throws {
        let fixture = try Sandbox.deployFixture(heartbeatRows: 100, projectRows: 10)
        defer { try? fixture.remove() }
        try FixtureSupport.stop(fixture.containerName)
        try fixture.setFlag(".fixture-fail-init")
        let upgraded = try FixtureSupport.startContainer(
            for: fixture, image: Sandbox.fixtureImage("3.3.0"), name: fixture.containerName + "_330")
        let result = try FixtureSupport.runInit(in: upgraded)
        #expect(result.status == 1)
        #expect(result.output.contains("half-applied"))
        // The first half is there, the rest and the version marker are not.
        #expect(try FixtureSupport.columns(fixture.rmDatabase, "oms_project").contains("labels"))
        #expect(try FixtureSupport.tables(fixture.cmDatabase).contains("node_metrics"))
        #expect(!(try FixtureSupport.tables(fixture.rmDatabase).contains("oms_version")))
        let mysql = try Sandbox.mysql()
        #expect(
            try mysql.scalar(
                "SELECT value FROM config_job WHERE `key` = 'cm.heartbeat.interval.seconds'",
                database: fixture.cmDatabase) == "2")
        // Not healthy, and a re-run on the half-applied schema refuses.
        Thread.sleep(forTimeInterval: 2)
        #expect(fixture.healthBody()?.contains(#""healthy":false"#) == true)
        try fixture.setFlag(".fixture-fail-init", false)
        #expect(try FixtureSupport.runInit(in: upgraded).status == 2)
        let logs = try FileManager.default.contentsOfDirectory(atPath: fixture.logsDirectory.path)
        #expect(logs.filter { $0.hasPrefix("docker_init.log.") }.count >= 2)
    }

    @Test(".fixture-init-sleep pauses init half-way; stopping the container ends it")
    func sleepHook() throws {
        let fixture = try Sandbox.deployFixture(heartbeatRows: 0, projectRows: 0)
        defer { try? fixture.remove() }
        try FixtureSupport.stop(fixture.containerName)
        try fixture.setFlag(".fixture-init-sleep", contents: "30\n")
        let upgraded = try FixtureSupport.startContainer(
            for: fixture, image: Sandbox.fixtureImage("3.3.0"), name: fixture.containerName + "_330")
        // Stopped once the init says it pauses (read from its log on the logs mount), however long a
        // loaded machine takes to get there.
        let logs = fixture.logsDirectory
        let stoppedAt = Mutex<Date?>(nil)
        let stopper = Thread {
            _ = FixtureSupport.eventually(timeout: 120) {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: logs.path)) ?? []
                return names.filter { $0.hasPrefix("docker_init.log.") }.contains { name in
                    (try? String(contentsOf: logs.appendingPathComponent(name), encoding: .utf8))?
                        .contains("pausing 30s") == true
                }
            }
            stoppedAt.withLock { $0 = Date() }
            _ = try? Sandbox.run("docker", ["stop", upgraded])
        }
        stopper.start()
        let result = try FixtureSupport.runInit(in: upgraded)
        #expect(result.status != 0)
        let stopped = try #require(stoppedAt.withLock { $0 }, "the init ended before it paused: \(result.output)")
        #expect(Date().timeIntervalSince(stopped) < 20, "stopping the container ends the paused init")
        #expect(result.output.contains("pausing 30s"))
        #expect(!(try FixtureSupport.tables(fixture.rmDatabase).contains("oms_version")))
    }
}

/// The 3.2.2 fixture's continuous writer (fixtures/oms-image/README.md, "The continuous writer").
@Suite("OMS fixture writer", .integration, .tags(.mariadb, .docker))
struct FixtureWriterTests {
    @Test(
        "the old OMS writes across rm, cm and cm_hb, acknowledges each commit, finishes the last on stop, obeys the hook"
    )
    func writesAndAcknowledges() throws {
        let fixture = try Sandbox.deployFixture(heartbeatRows: 100, projectRows: 10)
        defer { try? fixture.remove() }
        #expect(fixture.waitForWriterAcks(25), "the writer acknowledges transactions while the OMS is healthy")
        #expect(try fixture.writerProblems() == [])
        let acks = try fixture.writerAcks()
        #expect(acks.map(\.seq) == Array(1...Int64(acks.count)), "numbered 1, 2, 3, ... without a gap")
        #expect(acks.allSatisfy { $0.latencyMicros > 0 && $0.heartbeatID > 0 })
        let marker = SandboxMySQL.quoteString(FixtureWriter.marker)
        let kept = try FixtureSupport.count(fixture.rmDatabase, "oms_alarm_event", where: "project_id = \(marker)")
        #expect(kept <= Int(FixtureWriter.keep), "older rows are deleted: \(kept) kept")
        let done = try FixtureSupport.count(
            fixture.cmDatabase, "task", where: "task_type = \(marker) AND status = 'DONE'")
        #expect(done >= 1, "earlier rows are updated")

        try FixtureSupport.stop(fixture.containerName)
        let last = try fixture.writerAcks().last?.seq ?? 0
        let state = try Sandbox.mysql().scalar(
            "SELECT value FROM \(SandboxMySQL.quoteIdentifier(fixture.cmDatabase)).config_job WHERE `key` = \(SandboxMySQL.quoteString(FixtureWriter.stateKey))"
        )
        #expect(state == String(last), "a stop lets the transaction under way finish and be acknowledged")
        #expect(try fixture.writerProblems() == [])

        try fixture.setFlag(".fixture-writer", contents: "off")
        try Sandbox.runChecked("docker", ["start", fixture.containerName])
        #expect(fixture.waitUntilHealthy())
        Thread.sleep(forTimeInterval: 2)
        #expect(try fixture.writerAcks().last?.seq == last, "`off` in the hook file stops the writer")
        try fixture.setFlag(".fixture-writer", contents: "0.05")
        #expect(fixture.waitForWriterAcks(5, after: Int(last)), "a pause in the hook file turns it back on")
        #expect(try fixture.writerAcks().first { $0.seq > last }?.seq == last + 1, "it goes on from the last number")
        #expect(try fixture.writerProblems() == [])
    }
}
