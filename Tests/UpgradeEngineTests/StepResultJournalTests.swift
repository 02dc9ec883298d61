import Foundation
import Testing

@testable import UpgradeEngine
@testable import UpgradeReport

/// Steps' typed results in the journal (issue 18 item 2): journals of the previous version, which
/// hold string facts, replay into the same typed values; new journals round-trip them as JSON.
@Suite("typed step results in the journal")
struct StepResultJournalTests {
    /// A copy of the test resource `<name>.jsonl`, opened as a journal.
    static func journal(_ name: String) throws -> Journal {
        guard let source = Bundle.module.url(forResource: name, withExtension: "jsonl") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(name).jsonl in the test resources"])
        }
        let directory = FileManager.default.temporaryDirectory.appending(path: "results-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appending(path: "journal.jsonl")
        try FileManager.default.copyItem(at: source, to: url)
        return try Journal(url: url)
    }

    static func plan() throws -> UpgradePlan {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(UpgradePlan.self, from: Data(OldPlanFiles.singleNode().utf8))
    }

    @Test(
        "a single-node journal written by the previous version (an apply, then a rollback) replays into typed results")
    func oldSingleNodeJournal() throws {
        let state = try Self.journal("old-single-node.journal").replayed
        #expect(state.phase == .rolledBack)
        #expect(
            state.record(.prePrune).result(PrePruneResult.self) == PrePruneResult(rowsDeleted: 206, prunedBelow: [:]))
        #expect(state.record(.haOff).result(HAOffResult.self) == HAOffResult(present: true, wasEnabled: false))
        let databases = ["rm", "cm", "cm_hb"].map { "oms_fx_69vf0glp_\($0)__pre_330_tpnmmn_1" }
        #expect(
            state.record(.onlineCopy).result(OnlineCopyResult.self)
                == OnlineCopyResult(
                    snapshotLabel: "330_tpnmmn_1", snapshotDatabases: databases, rowsCopied: 189, capturedTables: 11,
                    copiedAtStop: []))
        let oldID = "70aa991d46a46c4bbe9b44f5eded2b2714105ddf83a88f255c721abc1f2b86de"
        #expect(
            state.record(.stopOld).result(StopOldResult.self)
                == StopOldResult(nodes: ["": .init(oldContainerID: oldID)]))
        #expect(
            state.record(.catchUp).result(CatchUpResult.self)
                == CatchUpResult(
                    snapshotLabel: "330_tpnmmn_1", snapshotDatabases: databases, changedRows: 1, copiedWhole: [],
                    objectsCaptured: 1))
        #expect(
            state.record(.prune).result(PruneHeartbeatsResult.self)
                == PruneHeartbeatsResult(rowsDeleted: 2, databases: ["": .init(keptID: 264, strategy: "batched")]))
        let backup = state.record(.backup).result(BackupResult.self)
        #expect(
            backup?.rows == 190 && backup?.tables == 11 && backup?.objects == "1 view" && backup?.dumper == "native")
        #expect(backup?.directory.hasSuffix("/runs/20261207-025159-oms_fx_69vf0glp/backup") == true)
        #expect(state.record(.initSchema).result(InitResult.self) == InitResult(exitCode: 0, nodes: []))
        #expect(
            state.record(.health).result(HealthResult.self)?.nodes[""]?.healthURL
                == "http://127.0.0.1:20034/oms/health")
        #expect(state.record(.haOn).result(HAOnResult.self) == HAOnResult(restored: false))
        #expect(state.record(.rollbackCapture).result(RollbackCaptureResult.self)?.triggersDropped == 0)
        #expect(state.record(.rollbackVerify).result(RollbackVerifyResult.self) == .init(checked: true, tables: 11))
        let newID = "a96f385029e63e186f3e0b52cef47bfca2e0ceb0d6aaeb9f629e3bf941a5ff99"
        #expect(
            state.record(.rollbackStopNew).result(RollbackStopNewResult.self)
                == RollbackStopNewResult(nodes: ["": .init(newContainerID: newID)]))
        let data = state.record(.rollbackData).result(RollbackDataResult.self)
        #expect(data?.restoredFrom == .snapshot && data?.quarantineDatabases.count == 3)
        #expect(state.record(.rollbackHA).result(RollbackHAResult.self) == RollbackHAResult(restored: false))
        #expect(
            state.record(.rollbackContainers).result(RollbackContainersResult.self)
                == RollbackContainersResult(nodes: ["": .init(oldContainerID: oldID, newRenamedTo: nil)]))
        #expect(UpgradeRunner.unfinishedNodes(state).isEmpty)
        #expect(state.record(.rollbackHealth).attempts == 1)

        let summary = RunSummary(
            plan: try Self.plan(), directory: RunDirectory(workDir: URL(filePath: "/w"), runID: "r"), state: state)
        #expect(summary.backupHolds == "11 tables, 1 view, 190 rows", "\(String(describing: summary.backupHolds))")
        #expect(summary.snapshotDatabases == databases)
        #expect(summary.backupDirectory == backup?.directory)
    }

    @Test(
        "a multi-node journal of the previous version: per-node facts become per-node results, unfinished nodes count")
    func oldMultiNodeJournal() throws {
        let journal = try Self.journal("old-multi-node.journal")
        let state = journal.replayed
        #expect(
            state.record(.prePrune).result(PrePruneResult.self)
                == PrePruneResult(rowsDeleted: 1200, prunedBelow: ["oms_cm_hb": 500, "oms_cm_hb_2": 700]))
        #expect(state.record(.haOff).result(HAOffResult.self)?.keys == ["enable", "enableFailover"])
        #expect(HAKeys.switched(state) == ["enable", "enableFailover"])
        #expect(
            state.record(.onlineCopy).result(OnlineCopyResult.self)?.copiedAtStop
                == ["oms_rm.a (no primary key)", "oms_cm.b (no primary key)"])
        #expect(
            state.record(.stopOld).result(StopOldResult.self)
                == StopOldResult(nodes: [
                    "10.0.0.2": .init(oldContainerID: "a1"), "10.0.0.3": .init(oldContainerID: "a2"),
                ]))
        #expect(state.record(.catchUp).result(CatchUpResult.self)?.copiedWhole == ["oms_rm.a", "oms_cm.b"])
        #expect(
            state.record(.prune).result(PruneHeartbeatsResult.self)
                == PruneHeartbeatsResult(
                    rowsDeleted: 30,
                    databases: [
                        "oms_cm_hb": .init(keptID: 510, strategy: "batched"),
                        "oms_cm_hb_2": .init(keptID: nil, strategy: "batched"),
                    ]))
        #expect(
            state.record(.startNew).result(StartNewResult.self)?.nodes["10.0.0.3"]
                == StartNewNode(newContainerID: "n2", oldRenamedTo: "oms_old"))
        #expect(state.record(.initSchema).result(InitResult.self)?.nodes == ["10.0.0.2", "10.0.0.3"])
        #expect(state.record(.health).result(HealthResult.self) == nil, "health failed: no result")
        #expect(
            state.record(.rollbackStopNew).result(RollbackStopNewResult.self)
                == RollbackStopNewResult(
                    nodes: ["10.0.0.2": .init(newContainerID: "n1"), "10.0.0.3": .init(newContainerID: nil)]))
        #expect(
            state.record(.rollbackContainers).result(RollbackContainersResult.self)
                == RollbackContainersResult(
                    nodes: ["10.0.0.2": .init(oldContainerID: "a1", newRenamedTo: "oms_new_failed_20261207-030000")],
                    unfinishedNodes: ["10.0.0.3"]))
        #expect(UpgradeRunner.unfinishedNodes(state) == ["10.0.0.3"])
        // The report draws the nodes' lanes from the node records of that version too.
        let timeline = ReportTimeline(entries: journal.entries)
        #expect(timeline.lanes == ["", "10.0.0.2", "10.0.0.3"], "\(timeline.lanes)")
    }

    @Test("a new journal stores each result as JSON and reads back the same values; a resumed old journal mixes both")
    func newResultsRoundTrip() throws {
        let journal = try Self.journal("old-single-node.journal")
        try journal.append(.rollbackStarted, message: "again")
        let stopped = RollbackStopNewResult(
            nodes: ["10.0.0.2": .init(newContainerID: "n1"), "10.0.0.3": .init(newContainerID: nil)],
            unfinishedNodes: ["10.0.0.4"])
        let data = RollbackDataResult(restoredFrom: .backup, quarantineDatabases: ["q1", "q2"])
        let verify = RollbackVerifyResult(checked: true, tables: 12)
        try journal.append(.stepCompleted, step: .rollbackStopNew, result: JSONValue(encoding: stopped))
        try journal.append(.stepCompleted, step: .rollbackData, result: JSONValue(encoding: data))
        try journal.append(.stepCompleted, step: .rollbackVerify, result: JSONValue(encoding: verify))
        let reopened = try Journal(url: journal.url)
        let state = reopened.replayed
        #expect(state.record(.rollbackStopNew).result(RollbackStopNewResult.self) == stopped)
        #expect(state.record(.rollbackData).result(RollbackDataResult.self) == data)
        #expect(state.record(.rollbackVerify).result(RollbackVerifyResult.self) == verify)
        #expect(UpgradeRunner.unfinishedNodes(state) == ["10.0.0.4"])
        // The upgrade's steps still read from the old entries' facts.
        #expect(state.record(.backup).result(BackupResult.self)?.rows == 190)
        let lines = try String(contentsOf: journal.url, encoding: .utf8).split(separator: "\n")
        let last = String(lines.last ?? "")
        #expect(
            last.contains(#""result":{"checked":true,"tables":12}"#) && last.contains(#""facts":{}"#),
            "the result is JSON of its own type; facts stay empty: \(last)")
        #expect(String(lines[lines.count - 3]).contains(#""unfinishedNodes":["10.0.0.4"]"#))
    }

    @Test("every result type's JSON decodes to the same value")
    func everyTypeRoundTrips() throws {
        func roundTrip<R: StepResult>(_ value: R) throws {
            let text = try JSONValue(encoding: value).compactText
            let read = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)).decode(R.self)
            #expect(read == value, "\(text)")
        }
        try roundTrip(PrePruneResult(rowsDeleted: 5, prunedBelow: ["hb": 9]))
        try roundTrip(HAOffResult(present: true, wasEnabled: true, keys: ["enable"]))
        try roundTrip(
            OnlineCopyResult(
                snapshotLabel: "l", snapshotDatabases: ["a", "b"], rowsCopied: 1 << 40, capturedTables: 3,
                copiedAtStop: ["a.t (x)"]))
        try roundTrip(StopOldResult(nodes: ["": .init(oldContainerID: "x")]))
        try roundTrip(
            CatchUpResult(
                snapshotLabel: "l", snapshotDatabases: ["a"], changedRows: 2, copiedWhole: [], objectsCaptured: 1))
        try roundTrip(PruneHeartbeatsResult(rowsDeleted: 1, databases: ["hb": .init(keptID: nil, strategy: "swap")]))
        try roundTrip(BackupResult(directory: "/b", rows: 3, tables: 2, objects: "1 view", dumper: "native"))
        try roundTrip(StartNewResult(nodes: ["10.0.0.2": .init(newContainerID: "n", oldRenamedTo: "o")]))
        try roundTrip(InitResult(exitCode: 0, nodes: ["10.0.0.2"]))
        try roundTrip(HealthResult(nodes: ["": .init(healthURL: "http://h/oms/health")]))
        try roundTrip(HAOnResult(restored: true, keys: ["enable"]))
        try roundTrip(RollbackCaptureResult(triggersDropped: 4))
        try roundTrip(RollbackStopNewResult(nodes: ["a": .init(newContainerID: nil)], unfinishedNodes: ["b"]))
        try roundTrip(RollbackVerifyResult(checked: false))
        try roundTrip(RollbackDataResult(restoredFrom: .nothing))
        try roundTrip(RollbackContainersResult(nodes: ["a": .init(oldContainerID: "o", newRenamedTo: nil)]))
        try roundTrip(RollbackHAResult(restored: true))
        try roundTrip(RollbackHealthResult(nodes: ["a": .init(healthURL: nil)], unfinishedNodes: ["b"]))
    }
}
