import Foundation
import MetaDB
import SandboxSupport
import Testing

extension RunHardening {
    /// The deployment lock is checked before every step and kept alive (issue 8 item 9): a lock
    /// freed by the server (here: its connection KILLed) is taken again, or, when another process
    /// took it meanwhile, the run stops safely without rolling back.
    @Suite("lock liveness", .serialized, .integration, .tags(.mariadb, .docker))
    struct LockLivenessTests {
        private func lockName(_ scenario: UpgradeScenario) -> String { "oms-upgrade:\(scenario.deployment.rmDatabase)" }

        private func holder(_ scenario: UpgradeScenario) throws -> String? {
            try Sandbox.mysql().scalar("SELECT IS_USED_LOCK(\(SandboxMySQL.quoteString(lockName(scenario))))")
                .flatMap { $0 == "NULL" ? nil : $0 }
        }

        @Test("lock connection KILLed, nobody else takes it: re-taken, a second apply refused, the run finishes")
        func lockRetaken() throws {
            let scenario = try UpgradeScenario()
            defer { scenario.cleanup() }
            try scenario.deployment.setFlag(".fixture-init-sleep", contents: "20")
            let first = try CLI.start(scenario.applyArguments(["--lock-check-seconds", "1"]))
            #expect(eventually(timeout: 120) { scenario.journalHas("step-started", step: "init") })
            let original = try #require(try holder(scenario))
            _ = try Sandbox.mysql().query("KILL \(original)")
            #expect(
                eventually(timeout: 60) { (try? holder(scenario)).flatMap { $0 }.map { $0 != original } ?? false },
                "the run takes its lock again")

            let otherWorkDir = try Sandbox.makePrivateTempDirectory()
            defer { try? FileManager.default.removeItem(at: otherWorkDir) }
            var second = scenario.applyArguments()
            second[second.firstIndex(of: "--work-dir")! + 1] = otherWorkDir.path
            second[second.firstIndex(of: "--name")! + 1] = Sandbox.uniqueName("oms_other")
            let refused = try CLI.run(second)
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.lowercased().contains("lock"), "\(refused)")

            let result = first.wait()
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("taken again"), "\(result)")
            #expect(try scenario.schemaVersion() == "3.3.0-CE")
        }

        @Test("lock connection KILLed, another process takes the lock: the run stops before its next step, no rollback")
        func lockLostStopsSafely() throws {
            let scenario = try UpgradeScenario()
            defer { scenario.cleanup() }
            // Init pauses long enough for the test to take the lock before the run's next check.
            try scenario.deployment.setFlag(".fixture-init-sleep", contents: "30")
            // No background check: the check before the next step must notice on its own.
            let first = try CLI.start(scenario.applyArguments(["--lock-check-seconds", "100000"]))
            #expect(eventually(timeout: 120) { scenario.journalHas("step-started", step: "init") })
            let original = try #require(try holder(scenario))
            // A blocking connection: the test must not wait for a free cooperative thread (other tests block them).
            let thief = try sandboxBlockingConnection()
            _ = try thief.execute("KILL \(original)")
            let taken = try thief.scalar("SELECT GET_LOCK(\(SQL.quoteString(lockName(scenario))), 10)")
            try #require(taken.int64 == 1, "the other process holds the lock now (while the run is still in init)")
            #expect(!scenario.journalHas("step-completed", step: "init"), "the test took the lock during init")

            let result = first.wait()
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("lock"), "\(result)")
            #expect(result.stderr.contains("resume"), "\(result)")
            #expect(!scenario.journalHas("rollback-started"), "a lost lock never starts a rollback")
            #expect(!scenario.journalHas("step-started", step: "health"), "no step starts without the lock")

            _ = try thief.scalar("SELECT RELEASE_LOCK(\(SQL.quoteString(lockName(scenario))))")
            thief.close()
            try scenario.deployment.setFlag(".fixture-init-sleep", false)
            let resumed = try scenario.resume()
            #expect(resumed.status == 0, "\(resumed)")
            #expect(try scenario.schemaVersion() == "3.3.0-CE")
        }
    }
}

/// A connection of the sandbox's admin to the metadata server, for tests that hold locks or KILL sessions.
func sandboxConnection() async throws -> AsyncConnection {
    let mysql = try Sandbox.mysql()
    let options = ConnectionOptions(
        host: mysql.host, port: mysql.port, user: mysql.user,
        password: Secret(mysql.password))
    return try await AsyncConnection(options: options)
}

/// The same, blocking: for tests whose timing must not depend on the cooperative thread pool.
func sandboxBlockingConnection() throws -> Connection {
    let mysql = try Sandbox.mysql()
    return try Connection(
        options: ConnectionOptions(
            host: mysql.host, port: mysql.port, user: mysql.user,
            password: Secret(mysql.password)))
}
