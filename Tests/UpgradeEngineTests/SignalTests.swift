import Foundation
import SandboxSupport
import Testing

extension RunHardening {
    /// SIGINT/SIGTERM during apply (issue 8 item 8): the run stops at a safe point, journals
    /// `interrupted`, exits 130/143, leaves no child process behind, and `resume` or `rollback`
    /// finishes it. `OMS_UPGRADE_FAULT_SIGNAL` makes the process signal itself at a fixed point.
    @Suite("signals", .serialized, .integration, .tags(.mariadb, .docker))
    struct SignalTests {
        static let points = [
            "online-copy.mid@TERM", "catch-up.mid@INT", "init.mid#2@TERM", "init.mid#3@INT", "backup.mid@TERM",
        ]

        @Test("signalled, then resumed to a finished upgrade", arguments: points)
        func resumeAfterSignal(_ point: String) throws {
            let scenario = try UpgradeScenario()
            defer { scenario.cleanup() }
            let expected: Int32 = point.hasSuffix("@INT") ? 130 : 143

            let interrupted = try scenario.apply(environment: ["OMS_UPGRADE_FAULT_SIGNAL": point])
            #expect(interrupted.status == expected, "\(interrupted)")
            #expect(interrupted.stderr.contains("Interrupted by SIG"), "\(interrupted)")
            #expect(scenario.journalHas("interrupted"), "the journal says the run was interrupted")
            #expect(!scenario.journalHas("rollback-started"), "a signal stops the run, it does not roll back")
            #expect(!scenario.journalHas("upgrade-finished"))
            let execs = try Sandbox.run("pgrep", ["-f", "docker exec \(scenario.newName)"])
            #expect(execs.stdout.isEmpty, "no docker exec of this run is left running: \(execs.stdout)")
            let lock = try Sandbox.mysql().scalar(
                "SELECT IS_FREE_LOCK(\(SandboxMySQL.quoteString("oms-upgrade:\(scenario.deployment.rmDatabase)")))")
            #expect(lock == "1", "the lock is released")

            let resumed = try scenario.resume()
            #expect(resumed.status == 0, "\(resumed)")
            #expect(resumed.stdout.contains("upgraded"), "\(resumed)")
            #expect(try scenario.schemaVersion() == "3.3.0-CE")
            #expect(try scenario.isHealthy(scenario.newName))
        }

        @Test("signalled during init, then rolled back to the old deployment")
        func rollbackAfterSignal() throws {
            let scenario = try UpgradeScenario()
            defer { scenario.cleanup() }
            let interrupted = try scenario.apply(environment: ["OMS_UPGRADE_FAULT_SIGNAL": "init.mid#3@INT"])
            #expect(interrupted.status == 130, "\(interrupted)")
            let rolledBack = try scenario.rollback()
            #expect(rolledBack.status == 0, "\(rolledBack)")
            #expect(try scenario.schemaVersion() == nil)
            #expect(try !scenario.hasHalfMigratedColumn())
            #expect(try scenario.isHealthy(scenario.deployment.containerName))
        }

        @Test(
            "signalled during the automatic rollback, then `rollback` finishes it",
            arguments: [
                "rollback-stop-new.completed@TERM", "rollback-data.started@INT", "rollback-verify.started@TERM",
            ])
        func signalDuringRollback(_ point: String) throws {
            let scenario = try UpgradeScenario()
            defer { scenario.cleanup() }
            try scenario.deployment.setFlag(".fixture-fail-init")
            let interrupted = try scenario.apply(environment: ["OMS_UPGRADE_FAULT_SIGNAL": point])
            #expect(interrupted.status == (point.hasSuffix("@INT") ? 130 : 143), "\(interrupted)")
            #expect(scenario.journalHas("rollback-started") && scenario.journalHas("interrupted"))
            #expect(!scenario.journalHas("rollback-finished"))
            try scenario.deployment.setFlag(".fixture-fail-init", false)

            let rolledBack = try scenario.rollback()
            #expect(rolledBack.status == 0, "\(rolledBack)")
            #expect(try !scenario.hasHalfMigratedColumn())
            #expect(try scenario.schemaVersion() == nil)
            #expect(try scenario.isHealthy(scenario.deployment.containerName))
        }

        @Test("SIGTERM from outside while init runs: exit 143 at once, not after the init")
        func externalSigterm() throws {
            let scenario = try UpgradeScenario()
            defer { scenario.cleanup() }
            try scenario.deployment.setFlag(".fixture-init-sleep", contents: "600")
            let running = try CLI.start(scenario.applyArguments())
            #expect(eventually(timeout: 120) { scenario.journalHas("step-started", step: "init") })
            Thread.sleep(forTimeInterval: 1)
            let limitsPath = "/proc/\(running.processIdentifier)/limits"
            let limits = (try? String(contentsOfFile: limitsPath, encoding: .utf8)) ?? ""
            let core = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") } ?? ""
            #expect(
                core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"],
                "core dumps are off for the process holding the password: \(core)")
            running.terminate()
            let result = running.wait()
            try scenario.deployment.setFlag(".fixture-init-sleep", false)
            #expect(result.status == 143, "\(result)")
            #expect(scenario.journalHas("interrupted"))
            let initFailure = scenario.journal().last {
                $0["step"] as? String == "init" && $0["event"] as? String == "step-failed"
            }
            let message = initFailure?["message"] as? String ?? ""
            #expect(message.hasPrefix("interrupted by SIGTERM"), "\(message)")
            #expect(
                !message.lowercased().contains("timed out") && !message.lowercased().contains("timeout"),
                "the signal ended the init's docker exec, not its timeout: \(message)")
            let resumed = try scenario.resume()
            #expect(resumed.status == 0, "\(resumed)")
            #expect(try scenario.schemaVersion() == "3.3.0-CE")
        }
    }
}
