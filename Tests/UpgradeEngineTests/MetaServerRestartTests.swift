import Foundation
import SandboxSupport
import Testing

/// A metadata server that goes away for a while (a restart, a failover) is waited out, not failed on at once.
/// The server is a private one: the shared server is never stopped.
@Suite("Metadata server restarts", .integration, .tags(.mariadb))
struct MetaServerRestartTests {
    @Test("the metadata server down during the backup: the apply waits, retries with backoff and finishes")
    func restartDuringBackupIsWaitedOut() throws {
        let server = try PrivateMySQLServer()
        defer { server.remove() }
        let scenario = try HostileServerTests.deploy(on: server)
        defer { scenario.cleanup() }
        let pause = scenario.workDir.appendingPathComponent("paused-at-backup").path
        let running = try CLI.start(
            scenario.applyArguments(["--meta-retry-timeout", "120"]),
            environment: ["OMS_UPGRADE_FAULT_PAUSE": "backup.started:\(pause)"])
        let paused = eventually(timeout: 120) { FileManager.default.fileExists(atPath: pause) }
        #expect(paused, "the apply never reached the backup")
        // The server goes down just as the backup starts, and comes back a few seconds later.
        server.stop()
        try? FileManager.default.removeItem(atPath: pause)
        Thread.sleep(forTimeInterval: 4)
        try server.start()
        let result = running.wait()
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("metadata server unreachable, retrying in"), "\(result)")
        #expect(result.stderr.contains("running step backup again"), "\(result)")
        #expect(scenario.journalHas("step-completed", step: "backup"))
        #expect(try scenario.isHealthy(scenario.newName))
    }

    @Test("the metadata server down for longer than --meta-retry-timeout: the step fails with a clear message")
    func aServerThatStaysDownFailsWithinTheBudget() throws {
        let server = try PrivateMySQLServer()
        defer { server.remove() }
        let scenario = try HostileServerTests.deploy(on: server)
        defer { scenario.cleanup() }
        let pause = scenario.workDir.appendingPathComponent("paused-at-backup").path
        let running = try CLI.start(
            scenario.applyArguments(["--meta-retry-timeout", "3", "--no-auto-rollback"]),
            environment: ["OMS_UPGRADE_FAULT_PAUSE": "backup.started:\(pause)"])
        #expect(
            eventually(timeout: 120) { FileManager.default.fileExists(atPath: pause) },
            "the apply never reached the backup")
        server.stop()
        try? FileManager.default.removeItem(atPath: pause)
        let result = running.wait()
        #expect(result.status != 0)
        #expect(result.stderr.contains("did not answer again within 3s"), "\(result)")
        #expect(result.stderr.contains("--meta-retry-timeout"), "\(result)")
    }
}
