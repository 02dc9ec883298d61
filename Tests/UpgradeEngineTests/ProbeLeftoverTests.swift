import Foundation
import SandboxSupport
import Testing

/// The scratch database of the outage estimate's DDL probe (`<rm>__probe_<label>`), left behind by a
/// tool killed during the probe: resume and rollback drop it, and cleanup knows it.
@Suite("probe database left by a kill", .serialized, .integration, .tags(.mariadb, .docker))
struct ProbeLeftoverTests {
    /// The probe databases of the scenario's deployment that exist now.
    static func probes(_ scenario: UpgradeScenario) throws -> [String] {
        let pattern = scenario.deployment.rmDatabase.replacingOccurrences(of: "_", with: "\\_") + "\\_\\_probe\\_%"
        return try scenario.deployment.mysql().rows(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE \(SandboxMySQL.quoteString(pattern))"
        ).map { $0[0] }
    }

    @Test("killed during the probe, then rolled back: the probe database is gone")
    func rollbackDropsIt() throws {
        let scenario = try UpgradeScenario()
        defer { scenario.cleanup() }
        let killed = try scenario.apply(environment: ["OMS_UPGRADE_FAULT_KILL": "estimate.mid"])
        #expect(killed.status == 128 + 9, "the tool must die during the probe: \(killed)")
        #expect(try Self.probes(scenario).count == 1, "the kill leaves the probe database")

        let rolledBack = try scenario.rollback()
        #expect(rolledBack.status == 0, "\(rolledBack)")
        #expect(try Self.probes(scenario) == [])
        #expect(try scenario.isHealthy(scenario.deployment.containerName))
    }

    @Test("killed during the probe, then resumed: the probe database is gone; cleanup drops one left anyway")
    func resumeAndCleanupDropIt() throws {
        let scenario = try UpgradeScenario()
        defer { scenario.cleanup() }
        let killed = try scenario.apply(environment: ["OMS_UPGRADE_FAULT_KILL": "estimate.mid"])
        #expect(killed.status == 128 + 9, "the tool must die during the probe: \(killed)")
        let left = try Self.probes(scenario)
        #expect(left.count == 1, "the kill leaves the probe database")

        let resumed = try scenario.resume()
        #expect(resumed.status == 0, "\(resumed)")
        #expect(resumed.stdout.contains("upgraded"), "\(resumed)")
        #expect(try Self.probes(scenario) == [])

        // One left by an earlier version of the tool, which did not drop it on resume.
        let probe = try #require(left.first)
        try scenario.deployment.mysql().query("CREATE DATABASE \(SandboxMySQL.quoteIdentifier(probe))")
        let cleanup = try CLI.run(["cleanup", "--work-dir", scenario.workDir.path, "--yes"])
        #expect(cleanup.status == 0, "\(cleanup)")
        #expect(cleanup.stdout.contains(probe), "\(cleanup)")
        #expect(try Self.probes(scenario) == [])
    }
}
