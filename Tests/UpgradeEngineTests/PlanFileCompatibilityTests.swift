import Containers
import Foundation
import OMSDeployment
import Testing

@testable import UpgradeEngine

/// `plan.json` across the plan/preflight split (issue 10): runs written by the earlier version
/// still load for `resume`, `rollback` and `status`; the keys stay as they were.
@Suite("plan.json compatibility")
struct PlanFileCompatibilityTests {
    /// A work directory holding one run whose `plan.json` is `text`, with a started journal.
    static func workDir(runID: String, plan text: String) throws -> URL {
        let workDir = FileManager.default.temporaryDirectory.appending(path: "plan-compat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: workDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let directory = RunDirectory(workDir: workDir, runID: runID)
        try directory.create()
        try Data(text.utf8).write(to: directory.planURL)
        try Journal(url: directory.journalURL).append(.runStarted)
        return workDir
    }

    static func decode(_ text: String) throws -> UpgradePlan {
        try Journal.decoder.decode(UpgradePlan.self, from: Data(text.utf8))
    }

    /// The JSON object of `value` as encoded for `plan.json`.
    static func object(_ value: some Encodable) throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try #require(JSONSerialization.jsonObject(with: encoder.encode(value)) as? [String: Any])
    }

    @Test("a single-node plan.json written before the split loads, with every field a run acts on")
    func oldSingleNodePlan() throws {
        let workDir = try Self.workDir(runID: "20261129-202613-oms_demo_322", plan: OldPlanFiles.singleNode())
        defer { try? FileManager.default.removeItem(at: workDir) }
        let run = try RunStore.select(RunSelection(runID: nil, container: "oms_demo_322"), workDir: workDir.path)
        let plan = run.plan
        #expect(plan.metaServer == .init(host: "127.0.0.1", port: 3306, user: "oms_sandbox"))
        #expect(plan.metaEndpoint == "oms_sandbox@127.0.0.1:3306")
        #expect(plan.databases == MetaDatabases(rm: "oms_demo_rm", cm: "oms_demo_cm", cmHeartbeat: "oms_demo_cm_hb"))
        #expect(plan.route.from == OMSVersion(3, 2, 2) && plan.route.to == OMSVersion(3, 3, 0))
        #expect(plan.route.notes.count == 1)
        // The top-level single-container keys become a list of one node, named by no IP.
        #expect(plan.nodes.count == 1 && plan.nodes[0].ip == nil && plan.nodes[0].endpoint == nil)
        #expect(!plan.isMultiNode)
        let node = plan.firstNode
        #expect(node.oldContainer.name == "oms_demo_322" && node.oldContainer.id.hasPrefix("65a5091455d9"))
        #expect(node.oldContainerSpec.name == "oms_demo_322")
        #expect(plan.newContainerName == "oms_demo_330")
        #expect(plan.configPath == "/var/lib/oms-fixture/oms_demo_322/config.yaml")
        #expect(node.consoleURL == "http://127.0.0.1:8089" && node.newConsoleURL == "http://127.0.0.1:8089")
        #expect(plan.haEnabled == false && node.renameOldTo == nil && node.runsInit)
        #expect(plan.steps.count == StepID.upgradeSequence.count)
        #expect(plan.deploymentKey == "127.0.0.1:3306/oms_demo_rm/oms_demo_322")
        let nodes = RunNode.nodes(of: plan, engine: FakeEngine(), logger: .init(label: "test"))
        #expect(nodes.map(\.oldContainerID) == [node.oldContainer.id] && nodes.map(\.ip) == [nil])
        #expect(nodes.map(\.newName) == ["oms_demo_330"])
        let summary = RunSummary(plan: plan, directory: run.directory, state: run.journal.replayed)
        #expect(summary.newContainer == "oms_demo_330")
    }

    @Test("a multi-node plan.json written before the split loads with its nodes")
    func oldMultiNodePlan() throws {
        let plan = try Self.decode(OldPlanFiles.multiNode())
        let nodes = plan.nodes
        #expect(plan.isMultiNode)
        #expect(nodes.map(\.ip) == ["10.213.0.11", "10.213.0.12"])
        #expect(plan.databases.cmHeartbeat == "mn_try1_cm_hb_0")
        #expect(plan.metaServer.host == "10.213.0.1")
        #expect(plan.route.to == OMSVersion(3, 3, 0))
        let runNodes = RunNode.nodes(of: plan, engine: FakeEngine(), logger: .init(label: "test"))
        #expect(runNodes.map(\.ip) == ["10.213.0.11", "10.213.0.12"])
        #expect(runNodes.map(\.newName) == nodes.map(\.newContainer.name))
    }

    @Test("`oms-upgrade status` shows a run whose plan.json the earlier version wrote")
    func statusOfOldRun() throws {
        let runID = "20261129-202613-oms_demo_322"
        let workDir = try Self.workDir(runID: runID, plan: OldPlanFiles.singleNode())
        defer { try? FileManager.default.removeItem(at: workDir) }
        let result = try CLI.run(["status", "--work-dir", workDir.path, "--json"])
        #expect(result.status == 0, "\(result)")
        let summary = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(summary["runID"] as? String == runID, "\(summary)")
        #expect(summary["newContainer"] as? String == "oms_demo_330")
    }

    @Test("the full route is read from routeDetails when there, and from route alone when not")
    func routeKeys() throws {
        var object = try #require(
            JSONSerialization.jsonObject(with: Data(OldPlanFiles.singleNode().utf8)) as? [String: Any])
        var details = try #require(object["routeDetails"] as? [String: Any])
        details["env"] = [["name": "OMS_EXTRA", "value": "1", "confirmed": false]]
        object["routeDetails"] = details
        let withDetails = try Self.decode(
            String(decoding: JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        #expect(withDetails.route.env == [RouteEnvironmentVariable(name: "OMS_EXTRA", value: "1", confirmed: false)])

        object["routeDetails"] = nil
        let routeOnly = try Self.decode(String(decoding: JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        #expect(routeOnly.route.from == OMSVersion(3, 2, 2) && routeOnly.route.env.isEmpty)
    }

    @Test("a plan written now keeps the deployment's keys (metaEndpointParts, route), moves the node's to nodes")
    func keysKept() throws {
        let old = try Self.decode(OldPlanFiles.singleNode())
        let written = try Self.object(old)
        let earlier = try #require(
            JSONSerialization.jsonObject(with: Data(OldPlanFiles.singleNode().utf8)) as? [String: Any])
        let nodeKeys: Set = ["oldContainer", "oldContainerSpec", "newContainer", "consoleURL", "newConsoleURL"]
        let dropped = Set(earlier.keys).subtracting(written.keys)
        #expect(dropped == nodeKeys.union(["routeDetails"]), "the duplicate route key goes, the node's move")
        #expect(Set(written.keys).subtracting(earlier.keys) == ["nodes"])
        let nodes = try #require(written["nodes"] as? [[String: Any]])
        #expect(nodes.count == 1 && nodes[0]["ip"] == nil && nodes[0]["endpoint"] == nil)
        for key in nodeKeys {
            #expect(
                (nodes[0][key] as? NSObject) == (earlier[key] as? NSObject), "\(key) is the node's, unchanged")
        }
        #expect(written["metaEndpoint"] as? String == "oms_sandbox@127.0.0.1:3306")
        let route = try #require(written["route"] as? [String: Any])
        #expect(route["to"] as? String == "3.3.0-CE" && route["env"] is [Any])

        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let again = try Journal.decoder.decode(UpgradePlan.self, from: encoder.encode(old))
        #expect(try Self.object(again) as NSDictionary == written as NSDictionary)
    }

    @Test("a plan.json without a part every ready plan has is refused with the part named")
    func missingPartRefused() throws {
        var object = try #require(
            JSONSerialization.jsonObject(with: Data(OldPlanFiles.singleNode().utf8)) as? [String: Any])
        object["metaEndpointParts"] = nil
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let workDir = try Self.workDir(runID: "20261129-202613-oms_demo_322", plan: text)
        defer { try? FileManager.default.removeItem(at: workDir) }
        let error = try #require(throws: EngineError.self) {
            try RunStore.select(
                RunSelection(runID: "20261129-202613-oms_demo_322", container: nil), workDir: workDir.path)
        }
        #expect("\(error)".contains("metaEndpointParts"), "\(error)")
    }
}
