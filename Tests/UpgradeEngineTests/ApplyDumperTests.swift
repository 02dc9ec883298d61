import Foundation
import SandboxSupport
import Testing

/// `apply --dumper` picks the dumper of the run's backup, and a resumed run keeps it.
@Suite("apply --dumper", .integration, .tags(.mariadb, .docker))
struct ApplyDumperTests {
    @Test("apply --dumper mysqldump, killed in the backup, resumed: the backup is mysqldump's and verifies")
    func mysqldumpHonouredOnResume() throws {
        let scenario = try UpgradeScenario()
        defer { scenario.cleanup() }
        let killed = try scenario.apply(
            ["--dumper", "mysqldump"], environment: ["OMS_UPGRADE_FAULT_KILL": "backup.mid"])
        #expect(killed.status == 128 + 9, "\(killed)")
        let resumed = try scenario.resume()
        #expect(resumed.status == 0, "\(resumed)")
        #expect(resumed.stderr.contains("with the mysqldump dumper"), "\(resumed)")
        #expect(try scenario.backupVerifies(), "the backup verifies and holds no snapshot bookkeeping")
        let runs = scenario.workDir.appending(path: "runs")
        let latest = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).sorted().last)
        let manifest = try JSONSerialization.jsonObject(
            with: Data(contentsOf: runs.appending(path: latest).appending(path: "backup/manifest.json")))
        #expect((manifest as? [String: Any])?["dumper"] as? String == "mysqldump", "\(manifest)")
        let dumpers = scenario.journal().compactMap { ($0["facts"] as? [String: String])?["dumper"] }
        #expect(dumpers == ["mysqldump"], "\(dumpers)")
    }
}
