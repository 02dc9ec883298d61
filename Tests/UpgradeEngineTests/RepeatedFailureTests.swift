import Foundation
import SandboxSupport
import Testing

extension RunHardening {
    /// Repeated init failures, with and without SIGKILL between them, under `--no-auto-rollback`
    /// (issue 8 items 2 and 4): every `resume` keeps the run's choice, and `rollback` then returns
    /// the exact pre-upgrade data (rollback-verify compares every table with the backup's manifest,
    /// which was taken after the old container stopped).
    @Suite("repeated failures", .serialized, .integration, .tags(.mariadb, .docker))
    struct RepeatedFailureTests {
        /// What each attempt does: fail at the fixture's init, or be SIGKILLed inside init.
        enum Attempt: String, CustomStringConvertible, Sendable {
            case fail, kill
            var description: String { rawValue }
        }

        static let sequences: [[Attempt]] = [
            [.fail, .fail, .fail],
            [.fail, .fail, .fail, .fail],
            [.kill, .fail, .kill, .fail],
        ]

        @Test(
            "apply --no-auto-rollback, init fails again and again, then rollback gives back the pre-upgrade data",
            arguments: sequences)
        func repeatedInitFailures(_ attempts: [Attempt]) throws {
            let scenario = try UpgradeScenario()
            defer { scenario.cleanup() }
            try scenario.deployment.setFlag(".fixture-fail-init")

            for (index, attempt) in attempts.enumerated() {
                let environment = attempt == .kill ? ["OMS_UPGRADE_FAULT_KILL": "init.mid#2"] : [:]
                let result =
                    index == 0
                    ? try scenario.apply(["--no-auto-rollback"], environment: environment)
                    : try CLI.run(["resume", "--work-dir", scenario.workDir.path], environment: environment)
                #expect(result.status == (attempt == .kill ? 137 : 1), "attempt \(index + 1): \(result)")
                if attempt == .fail {
                    #expect(result.stderr.contains("Nothing was rolled back"), "attempt \(index + 1): \(result)")
                }
                #expect(
                    !scenario.journalHas("rollback-started"),
                    "resume keeps --no-auto-rollback (attempt \(index + 1))")
            }
            #expect(try scenario.hasHalfMigratedColumn(), "the half-applied migration is live before the rollback")

            try scenario.deployment.setFlag(".fixture-fail-init", false)
            let rolledBack = try scenario.rollback()
            #expect(rolledBack.status == 0, "\(rolledBack)")
            #expect(rolledBack.stdout.contains("rolled-back"), "\(rolledBack)")
            #expect(try !scenario.hasHalfMigratedColumn(), "the pre-upgrade schema is live again")
            #expect(try scenario.schemaVersion() == nil)
            #expect(try scenario.deployment.isRunning())
            #expect(try scenario.isHealthy(scenario.deployment.containerName))
            let verify = scenario.journal().last {
                $0["step"] as? String == "rollback-verify" && $0["event"] as? String == "step-completed"
            }
            #expect(
                (verify?["result"] as? [String: Any])?["checked"] as? Bool == true,
                "checked against the backup: \(String(describing: verify))")
        }

        @Test("resume --auto-rollback overrides the run's --no-auto-rollback")
        func resumeOverridesChoice() throws {
            let scenario = try UpgradeScenario()
            defer { scenario.cleanup() }
            try scenario.deployment.setFlag(".fixture-fail-init")
            let first = try scenario.apply(["--no-auto-rollback"])
            #expect(first.status == 1, "\(first)")
            let runStarted = scenario.journal().first { $0["event"] as? String == "run-started" }
            #expect((runStarted?["facts"] as? [String: String])?["autoRollback"] == "false")

            let resumed = try CLI.run(["resume", "--work-dir", scenario.workDir.path, "--auto-rollback"])
            #expect(resumed.status == 1, "\(resumed)")
            #expect(resumed.stderr.contains("rolled back"), "\(resumed)")
            #expect(scenario.journalHas("rollback-finished"))
            #expect(try !scenario.hasHalfMigratedColumn())
            #expect(try scenario.isHealthy(scenario.deployment.containerName))
        }
    }
}

extension UpgradeScenario {
    /// Whether the live rm.oms_project has the 3.3.0 migration's first column (a half-applied init).
    func hasHalfMigratedColumn() throws -> Bool {
        try Sandbox.mysql().scalar(
            """
            SELECT COUNT(*) FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = \(SandboxMySQL.quoteString(deployment.rmDatabase))
            AND TABLE_NAME = 'oms_project' AND COLUMN_NAME = 'labels'
            """) == "1"
    }

    /// Runs `oms-upgrade <arguments> --work-dir <this scenario's>`.
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLI.Result {
        try CLI.run(arguments + ["--work-dir", workDir.path], environment: environment)
    }

    /// The run ids in the work directory, oldest first.
    func runIDs() -> [String] {
        let runs = workDir.appending(path: "runs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []
        return names.filter { name in
            FileManager.default.fileExists(atPath: runs.appending(path: "\(name)/journal.jsonl").path)
        }.sorted()
    }
}
