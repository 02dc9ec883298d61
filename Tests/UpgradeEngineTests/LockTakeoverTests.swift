import Foundation
import SandboxSupport
import Testing

/// The deployment's lock outlives a run killed with SIGKILL on neither server: MariaDB frees the
/// killed session's `GET_LOCK`, the OceanBase kernel never does, so there the lock is a lease
/// that `resume` takes over once it expired.
@Suite("lock takeover after SIGKILL", .integration, .tags(.mariadb, .docker))
struct LockTakeoverTests {
    @Test(
        "killed while holding the lock: plan and status name the holder and its age, resume takes it over and finishes",
        arguments: MetadataServer.allCases)
    func resumeTakesOverTheLock(_ server: MetadataServer) throws {
        let scenario = try UpgradeScenario(server: server)
        defer { scenario.cleanup() }
        #expect(scenario.writerIsWriting())
        let killed = try scenario.apply(environment: ["OMS_UPGRADE_FAULT_KILL": "online-copy.mid"])
        #expect(killed.status == 128 + 9, "the tool must die holding the lock: \(killed)")

        let plan = try CLI.run(
            [
                "plan", "--container", scenario.deployment.containerName, "--image", Sandbox.fixtureImage("3.3.0"),
                "--work-dir", scenario.workDir.path,
            ], environment: UpgradeScenario.environment)
        let planText = plan.stdout + plan.stderr
        switch server {
        case .mariadb:
            #expect(!planText.contains("holds its lock"), "MariaDB freed the killed session's lock: \(plan)")
        case .oceanbase:
            #expect(planText.contains("holds its lock") && planText.contains("lease held for"), "\(plan)")
            #expect(planText.contains("pid"), "the holder is named: \(plan)")
        }

        let status = try CLI.run(["status", "--work-dir", scenario.workDir.path])
        #expect(
            status.stdout.contains("Lock: held by") && status.stdout.contains("That process is gone"),
            "status names the dead holder and its age: \(status)")
        let statusJSON = try CLI.run(["status", "--work-dir", scenario.workDir.path, "--json"])
        let document =
            try JSONSerialization.jsonObject(with: Data(statusJSON.stdout.utf8)) as? [String: Any] ?? [:]
        let lock = document["lock"] as? [String: Any] ?? [:]
        #expect(lock["held"] as? Bool == true, "status --json says the lock is held: \(statusJSON)")
        #expect(lock["runID"] as? String == document["runID"] as? String, "and by the killed run: \(lock)")
        #expect((lock["pid"] as? Int ?? 0) > 0 && !(lock["host"] as? String ?? "").isEmpty, "\(lock)")
        #expect((lock["ageSeconds"] as? Int).map { $0 >= 0 } == true, "with its age: \(lock)")
        #expect(lock["holderIsGone"] as? Bool == true, "and that its holder is gone: \(lock)")

        let resumed = try scenario.resume()
        #expect(resumed.status == 0, "resume takes the lock over (the lease expired): \(resumed)")
        #expect(try scenario.schemaVersion() == "3.3.0-CE")
        try scenario.expectWriterConsistent("every acknowledged write survives the kill")
        let after = try CLI.run(["status", "--work-dir", scenario.workDir.path, "--json"])
        let freed = try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any] ?? [:]
        #expect((freed["lock"] as? [String: Any])?["held"] as? Bool == false, "the finished run freed it: \(after)")
        let second = try scenario.resume()
        #expect(!second.stderr.contains("holds the lease"), "the finished run freed its lease: \(second)")
    }
}
