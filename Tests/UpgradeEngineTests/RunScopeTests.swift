import Foundation
import MetaDB
import SandboxSupport
import Testing

extension RunHardening {
    /// Runs are scoped by deployment (issue 8 item 10): two deployments share a work directory; a
    /// new apply over an unfinished run is refused; `--run` picks a run; `status` lists them.
    @Suite("run scope", .serialized, .integration, .tags(.mariadb, .docker))
    struct RunScopeTests {
        @Test("two deployments, one work directory: nothing guesses, --run picks, no apply over an unfinished run")
        func twoDeploymentsOneWorkDir() throws {
            let first = try UpgradeScenario()
            defer { first.cleanup() }
            let secondDeployment = try Sandbox.deployFixture(heartbeatRows: 500, projectRows: 20)
            let second = UpgradeScenario(
                deployment: secondDeployment, workDir: first.workDir,
                newName: Sandbox.uniqueName("oms_new"))
            defer { second.deployment.removeAll(extraContainers: [second.newName]) }

            try first.deployment.setFlag(".fixture-fail-init")
            let failed = try first.apply(["--no-auto-rollback"])
            #expect(failed.status == 1, "\(failed)")
            let firstRun = try #require(first.runIDs().first)
            try first.deployment.setFlag(".fixture-fail-init", false)

            var again = first.applyArguments()
            again[again.firstIndex(of: "--name")! + 1] = Sandbox.uniqueName("oms_again")
            let refused = try CLI.run(again)
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains(firstRun) && refused.stderr.contains("--run"), "\(refused)")
            #expect(first.runIDs() == [firstRun], "the refused apply left no run behind")

            let upgraded = try second.apply()
            #expect(upgraded.status == 0, "the other deployment is not blocked: \(upgraded)")
            let secondRun = try #require(first.runIDs().first { $0 != firstRun })

            let ambiguous = try first.run(["resume"])
            #expect(ambiguous.status == 1, "\(ambiguous)")
            #expect(ambiguous.stderr.contains("--run"), "\(ambiguous)")
            #expect(try second.deployment.isRunning(second.newName), "nothing was done to the upgraded deployment")

            let status = try first.run(["status", "--json"])
            #expect(status.status == 0, "\(status)")
            #expect(status.stdout.contains(firstRun) && status.stdout.contains(secondRun), "\(status)")

            let rolledBack = try first.run(["rollback", "--run", firstRun, "--yes"])
            #expect(rolledBack.status == 0, "\(rolledBack)")
            #expect(try first.isHealthy(first.deployment.containerName))
            #expect(try !first.hasHalfMigratedColumn())
            #expect(
                try second.deployment.isRunning(second.newName),
                "rolling back one deployment leaves the other upgraded")
            #expect(try second.schemaVersion() == "3.3.0-CE")

            // cleanup takes the deployment's lock too: refused while another process holds it.
            let holder = try sandboxBlockingConnection()
            let lockName = SQL.quoteString("oms-upgrade:\(second.deployment.rmDatabase)")
            #expect(try holder.scalar("SELECT GET_LOCK(\(lockName), 0)").int64 == 1)
            let locked = try first.run(["cleanup", "--container", second.deployment.containerName, "--yes"])
            holder.close()
            #expect(locked.status == 1, "\(locked)")
            #expect(locked.stderr.lowercased().contains("lock"), "\(locked)")
            let cleanup = try first.run(["cleanup", "--container", second.deployment.containerName, "--yes"])
            #expect(cleanup.status == 0, "\(cleanup)")
            #expect(cleanup.stdout.contains(secondRun), "\(cleanup)")
        }
    }
}
