import Containers
import Foundation
import Logging
import OMSDeployment
import Testing

@testable import UpgradeEngine

/// The pure parts of multi-node runs: results per node, failures named, unfinished rollbacks.
@Suite("Multi-node run bookkeeping")
struct NodeFanOutTests {
    /// A node on an engine that is never called.
    static func node(_ ip: String?) -> RunNode {
        RunNode(
            ip: ip, engine: DockerCLI(context: nil, host: "unix:///nonexistent.sock", logger: Logger(label: "test")),
            oldName: "oms", oldContainerID: "oms-id", oldContainerSpec: ContainerRunSpec(name: "oms", image: "oms:1"),
            newContainer: ContainerRunSpec(name: "oms_new", image: "oms:2"), renameOldTo: nil,
            consoleURL: "http://127.0.0.1:8089", newConsoleURL: "http://127.0.0.1:8089", runsInit: false)
    }

    struct Refused: Error, CustomStringConvertible {
        var description: String { "engine gone" }
    }

    @Test("each node's result is kept under its IP; failed nodes are named, in order")
    func resultsAndFailuresPerNode() async {
        let nodes = ["10.0.0.3", "10.0.0.1", "10.0.0.2"].map { Self.node($0) }
        let outcome = await NodeFanOut.gather(nodes) { node in
            if node.ip != "10.0.0.1" { throw Refused() }
            return StartNewNode(newContainerID: "abc", oldRenamedTo: nil)
        }
        #expect(outcome.results.nodes == ["10.0.0.1": StartNewNode(newContainerID: "abc", oldRenamedTo: nil)])
        #expect(outcome.failures.map(\.ip) == ["10.0.0.2", "10.0.0.3"])
        #expect(
            "\(NodeFailures(failures: outcome.failures))"
                == "node 10.0.0.2: engine gone; node 10.0.0.3: engine gone")
    }

    @Test("the fan-out journals each node's part: started, then completed with its result or failed with its error")
    func perNodeRecords() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "fanout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = try Journal(url: directory.appending(path: "journal.jsonl"))
        let nodes = ["10.0.0.1", "10.0.1.1"].map { Self.node($0) }
        let recorder = NodeRecorder(journal: journal, step: .stopOld, log: nil)
        let outcome = await NodeFanOut.gather(nodes, recording: recorder) { node in
            if node.ip == "10.0.1.1" { throw Refused() }
            return StopOldNode(oldContainerID: "x")
        }
        #expect(outcome.failures.map(\.ip) == ["10.0.1.1"])
        let entries = try Journal(url: directory.appending(path: "journal.jsonl")).entries
        #expect(Set(entries.filter { $0.event == .nodeStarted }.compactMap(\.node)) == ["10.0.0.1", "10.0.1.1"])
        let completed = entries.first { $0.event == .nodeCompleted }
        #expect(
            completed?.node == "10.0.0.1" && completed?.step == .stopOld
                && completed?.result == .object(["oldContainerID": .string("x")]))
        let failed = entries.first { $0.event == .nodeFailed }
        #expect(failed?.node == "10.0.1.1" && failed?.message == "engine gone")
        #expect(journal.replayed.record(.stopOld).progress == .pending, "node records change no step's state")
    }

    @Test("a single-node run keys its one node \"\" and throws the node's own error")
    func singleNodeUnchanged() async throws {
        let results = try await NodeFanOut.run([Self.node(nil)]) { _ in StopOldNode(oldContainerID: "x") }
        #expect(results == StopOldResult(nodes: ["": StopOldNode(oldContainerID: "x")]))
        await #expect(throws: Refused.self) {
            try await NodeFanOut.run([Self.node(nil)]) { _ -> StopOldNode in throw Refused() }
        }
        await #expect(throws: NodeFailures.self) {
            try await NodeFanOut.run([Self.node("10.0.0.1")]) { _ -> StopOldNode in throw Refused() }
        }
    }

    @Test(
        "a rollback is unfinished while any rollback step names nodes it could not reach (journal of an earlier version)"
    )
    func unfinishedNodesFromTheJournal() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "fanout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = try Journal(url: directory.appending(path: "journal.jsonl"))
        try journal.append(.rollbackStarted, message: "test")
        try journal.append(.stepCompleted, step: .rollbackStopNew, facts: [.unfinishedNodes: "10.0.0.3"])
        try journal.append(
            .stepCompleted, step: .rollbackContainers, facts: [.unfinishedNodes: "10.0.0.3,10.0.0.2"])
        #expect(UpgradeRunner.unfinishedNodes(journal.replayed) == ["10.0.0.2", "10.0.0.3"])
        // A later rollback that reached them records an empty list.
        try journal.append(.stepCompleted, step: .rollbackStopNew, facts: [.unfinishedNodes: ""])
        try journal.append(.stepCompleted, step: .rollbackContainers, facts: [.unfinishedNodes: ""])
        #expect(UpgradeRunner.unfinishedNodes(journal.replayed).isEmpty)
    }

    @Test("a rollback is unfinished while any rollback step's result names nodes it could not reach")
    func unfinishedNodesFromResults() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "fanout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = try Journal(url: directory.appending(path: "journal.jsonl"))
        try journal.append(.rollbackStarted, message: "test")
        let stopped = RollbackStopNewResult(
            nodes: ["10.0.0.2": RollbackStopNewNode(newContainerID: "n2")], unfinishedNodes: ["10.0.0.3"])
        try journal.append(.stepCompleted, step: .rollbackStopNew, result: JSONValue(encoding: stopped))
        let health = RollbackHealthResult(
            nodes: ["10.0.0.2": HealthNode(healthURL: nil)], unfinishedNodes: ["10.0.0.2"])
        try journal.append(.stepCompleted, step: .rollbackHealth, result: JSONValue(encoding: health))
        #expect(UpgradeRunner.unfinishedNodes(journal.replayed) == ["10.0.0.2", "10.0.0.3"])
        #expect(journal.replayed.record(.rollbackStopNew).result(RollbackStopNewResult.self) == stopped)
        let done = RollbackHealthResult(nodes: ["10.0.0.2": HealthNode(healthURL: "http://h/oms/health")])
        try journal.append(.stepCompleted, step: .rollbackStopNew, result: JSONValue(encoding: done))
        try journal.append(.stepCompleted, step: .rollbackHealth, result: JSONValue(encoding: done))
        #expect(UpgradeRunner.unfinishedNodes(journal.replayed).isEmpty)
    }

    @Test("plans written before multi-region support still decode, with no other heartbeat databases")
    func oldPlanDatabasesDecode() throws {
        let old = #"{"rm":"oms_rm","cm":"oms_cm","cmHeartbeat":"oms_cm_hb"}"#
        let databases = try JSONDecoder().decode(MetaDatabases.self, from: Data(old.utf8))
        #expect(databases.all == ["oms_rm", "oms_cm", "oms_cm_hb"])
        let multi = MetaDatabases(rm: "rm", cm: "cm", cmHeartbeat: "hb0", otherHeartbeats: ["hb1"])
        #expect(multi.heartbeats == ["hb0", "hb1"])
        #expect(try JSONDecoder().decode(MetaDatabases.self, from: JSONEncoder().encode(multi)) == multi)
    }
}
