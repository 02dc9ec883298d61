import Foundation
import Testing

@testable import UpgradeEngine

/// Runs are scoped by deployment (issue 8 item 10): pure file-level selection, no servers.
@Suite("run selection")
struct RunSelectionTests {
    private func makeRun(_ workDir: URL, id: String, container: String, rm: String, phase: JournalEntry.Event?) throws {
        let plan = UpgradePlan.sample(container: container, workDir: workDir.path, rm: rm)
        let run = try RunStore.create(plan: plan, runID: id)
        if let phase {
            try run.journal.append(.runStarted)
            if phase != .runStarted { try run.journal.append(phase) }
        }
    }

    private func workDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "runs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        return url
    }

    @Test("two deployments in one work directory: no guessing; --run and --container pick one")
    func twoDeployments() throws {
        let workDir = try workDirectory()
        try makeRun(workDir, id: "20261129-100000-a", container: "oms_a", rm: "rm_a", phase: .runStarted)
        try makeRun(workDir, id: "20261129-110000-b", container: "oms_b", rm: "rm_b", phase: .upgradeFinished)

        let error = #expect(throws: EngineError.self) { try RunStore.select(RunSelection(), workDir: workDir.path) }
        let text = String(describing: try #require(error))
        #expect(text.contains("--run"), "\(text)")
        #expect(text.contains("20261129-100000-a") && text.contains("20261129-110000-b"), "\(text)")

        #expect(
            try RunStore.select(RunSelection(runID: "20261129-100000-a"), workDir: workDir.path)
                .directory.runID == "20261129-100000-a")
        #expect(
            try RunStore.select(RunSelection(container: "oms_b"), workDir: workDir.path)
                .directory.runID == "20261129-110000-b")
        #expect(throws: EngineError.self) { try RunStore.select(RunSelection(runID: "../x"), workDir: workDir.path) }

        let unfinished = try RunStore.unfinishedRuns(deploymentKey: "10.0.0.5:2881/rm_a/oms_a", workDir: workDir.path)
        #expect(unfinished.map(\.directory.runID) == ["20261129-100000-a"])
        #expect(try RunStore.unfinishedRuns(deploymentKey: "10.0.0.5:2881/rm_b/oms_b", workDir: workDir.path).isEmpty)
    }

    @Test("one deployment: the newest run is taken without --run")
    func oneDeployment() throws {
        let workDir = try workDirectory()
        try makeRun(workDir, id: "20261129-100000-a", container: "oms_a", rm: "rm_a", phase: .rollbackFinished)
        try makeRun(workDir, id: "20261129-120000-a", container: "oms_a", rm: "rm_a", phase: .runStarted)
        #expect(try RunStore.select(RunSelection(), workDir: workDir.path).directory.runID == "20261129-120000-a")
    }
}
