import Foundation
import SandboxSupport
import Testing

/// One fixture deployment prepared for an upgrade test: its own names, ports, work directory and cleanup.
struct UpgradeScenario {
    let deployment: FixtureDeployment
    let workDir: URL
    let newName: String

    init(deployment: FixtureDeployment, workDir: URL, newName: String) {
        self.deployment = deployment
        self.workDir = workDir
        self.newName = newName
    }

    init(heartbeatRows: Int = 2000, projectRows: Int = 50, server: MetadataServer = .mariadb) throws {
        deployment = try Sandbox.deployFixture(heartbeatRows: heartbeatRows, projectRows: projectRows, server: server)
        workDir = try Sandbox.makePrivateTempDirectory()
        newName = Sandbox.uniqueName("oms_new")
    }

    /// The `apply` command line for this scenario.
    func applyArguments(_ extra: [String] = []) -> [String] {
        [
            "apply", "--container", deployment.containerName, "--image", Sandbox.fixtureImage("3.3.0"), "--name",
            newName,
            "--work-dir", workDir.path, "--yes", "--health-timeout", "30", "--init-timeout", "60",
        ] + extra
    }

    /// The metadata server of this scenario's deployment.
    var server: MetadataServer { deployment.server }

    /// What every run command of a scenario runs with: a short lease (on servers that need one) renewed
    /// every few seconds (the hidden ``lockCheck`` option), so that a run killed while it holds the
    /// lock frees it within seconds.
    static let environment = ["OMS_UPGRADE_LEASE_SECONDS": "12"]
    /// The hidden option that sets the background lock checks' interval (the engine reads no environment).
    static let lockCheck = ["--lock-check-seconds", "3"]

    func apply(_ extra: [String] = [], environment: [String: String] = [:]) throws -> CLI.Result {
        try CLI.run(
            applyArguments(Self.lockCheck + extra), environment: Self.environment.merging(environment) { _, new in new }
        )
    }

    func resume() throws -> CLI.Result {
        try CLI.run(["resume", "--work-dir", workDir.path] + Self.lockCheck, environment: Self.environment)
    }

    func rollback() throws -> CLI.Result {
        try CLI.run(["rollback", "--work-dir", workDir.path, "--yes"] + Self.lockCheck, environment: Self.environment)
    }

    func status() throws -> [String: Any] {
        let result = try CLI.run(["status", "--work-dir", workDir.path, "--json"])
        guard result.status == 0,
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        else {
            throw SandboxError("status failed: \(result)")
        }
        return json
    }

    /// The journal entries of the latest run, oldest first.
    func journal() -> [[String: Any]] {
        let runs = workDir.appending(path: "runs")
        guard let latest = (try? FileManager.default.contentsOfDirectory(atPath: runs.path))?.sorted().last,
            let text = try? String(
                contentsOf: runs.appending(path: latest).appending(path: "journal.jsonl"), encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func journalHas(_ event: String, step: String? = nil) -> Bool {
        journal().contains { $0["event"] as? String == event && (step == nil || $0["step"] as? String == step) }
    }

    /// Row counts of every base table in rm and cm, leaving out the rows of the fixture's
    /// continuous writer (check those with ``FixtureDeployment/writerProblems(acks:)``).
    func rowCounts() throws -> [String: Int] {
        let mysql = try deployment.mysql()
        var counts: [String: Int] = [:]
        for database in [deployment.rmDatabase, deployment.cmDatabase] {
            let tables = try mysql.rows(
                """
                SELECT TABLE_NAME FROM information_schema.TABLES
                WHERE TABLE_SCHEMA = \(SandboxMySQL.quoteString(database)) AND TABLE_TYPE = 'BASE TABLE'
                """
            ).map { $0[0] }
            for table in tables {
                let filter =
                    FixtureWriter.untouchedRows(table: table, database: database, deployment: deployment)
                    .map { " WHERE \($0)" } ?? ""
                counts["\(database).\(table)"] =
                    Int(
                        try mysql.scalar(
                            "SELECT COUNT(*) FROM \(SandboxMySQL.quoteIdentifier(database)).\(SandboxMySQL.quoteIdentifier(table))\(filter)"
                        ) ?? "") ?? -1
            }
        }
        return counts
    }

    /// The schema version OMS 3.3.0 records, nil on a 3.2.2 schema.
    func schemaVersion() throws -> String? {
        let mysql = try deployment.mysql()
        let exists = try mysql.scalar(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SandboxMySQL.quoteString(deployment.rmDatabase)) AND TABLE_NAME = 'oms_version'"
        )
        guard exists == "1" else { return nil }
        return try mysql.scalar(
            "SELECT version FROM \(SandboxMySQL.quoteIdentifier(deployment.rmDatabase)).oms_version")
    }

    /// Waits until the old OMS's writer has acknowledged a few transactions (it is on by default).
    func writerIsWriting() -> Bool { deployment.waitForWriterAcks(3) }

    /// What is wrong with the metadata against the writer's acknowledged transactions (empty: all present).
    func writerProblems() throws -> [String] { try deployment.writerProblems() }

    /// Records an issue listing what is wrong when an acknowledged write is missing or the metadata is inconsistent.
    func expectWriterConsistent(_ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws {
        let problems = try writerProblems()
        #expect(problems.isEmpty, "\(comment): \(problems)", sourceLocation: sourceLocation)
    }

    /// The online copy's change-capture triggers (`oms_cc_*`) still on the deployment's tables.
    func captureTriggers() throws -> [String] {
        let schemas = deployment.databases.map(SandboxMySQL.quoteString).joined(separator: ", ")
        return try deployment.mysql().rows(
            "SELECT CONCAT(TRIGGER_SCHEMA, '.', TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN (\(schemas)) AND TRIGGER_NAME LIKE 'oms\\_cc\\_%'"
        ).map { $0[0] }
    }

    /// Whether the latest run's backup exists and `oms-upgrade verify` accepts it.
    func backupVerifies() throws -> Bool {
        let runs = workDir.appending(path: "runs")
        guard let latest = try FileManager.default.contentsOfDirectory(atPath: runs.path).sorted().last else {
            return false
        }
        let backup = runs.appending(path: latest).appending(path: "backup")
        // Written from the snapshot: it names the original databases and holds none of the snapshot's bookkeeping.
        let manifest = try String(contentsOf: backup.appending(path: "manifest.json"), encoding: .utf8)
        guard !manifest.contains("__oms_"), !manifest.contains("__pre_"), manifest.contains(deployment.rmDatabase)
        else {
            return false
        }
        return try CLI.run(["verify", backup.path]).status == 0
    }

    func heartbeatCount() throws -> Int {
        Int(
            try deployment.mysql().scalar(
                "SELECT COUNT(*) FROM \(SandboxMySQL.quoteIdentifier(deployment.cmHeartbeatDatabase)).heatbeat_sequence"
            ) ?? "") ?? -1
    }

    /// The quarantine databases a rollback left for inspection.
    func quarantineDatabases() throws -> [String] {
        try deployment.mysql().rows(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '%\\_\\_quarantine%' AND SCHEMA_NAME LIKE \(SandboxMySQL.quoteString(deployment.rmDatabase.replacingOccurrences(of: "_", with: "\\_") + "%"))"
        ).map { $0[0] }
    }

    func isHealthy(_ name: String) throws -> Bool {
        guard deployment.isHealthy() else { return false }
        return try deployment.lastLogLine(container: name)?.contains("OMS service start successfully") == true
    }

    /// A field of a container's `docker inspect` (`{{.State.Status}}`, `{{.Id}}`), nil when no container has that name.
    func inspect(_ name: String, format: String) -> String? {
        (try? Sandbox.runChecked("docker", ["container", "inspect", "--format", format, name]))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func cleanup() {
        deployment.removeAll(extraContainers: [newName])
        try? FileManager.default.removeItem(at: workDir)
    }
}
