import Containers
import Foundation
import OMSDeployment
import Testing

@testable import UpgradeEngine

/// One node model: every plan holds a list of nodes, a one-node and a two-node plan get their steps
/// from the same builder and the same step sequence the runner executes, and old plan files load
/// into the list.
@Suite("one node model")
struct NodeModelTests {
    /// A plan of the sample's parts whose nodes are `ips` named by `--node` (none: the one node of a
    /// deployment planned without `--node`).
    static func plan(ips: [String], haEnabled: Bool? = false) -> UpgradePlan {
        var plan = UpgradePlan.sample()
        let node = plan.firstNode
        if !ips.isEmpty {
            plan.nodes = ips.enumerated().map { index, ip in
                var newContainer = node.newContainer
                newContainer.env = [EnvVar(name: "OMS_HOST_IP", value: ip)]
                return NodeTarget(
                    ip: ip, endpoint: "tcp://\(ip):2375", location: 1, oldContainer: node.oldContainer,
                    oldContainerSpec: node.oldContainerSpec, newContainer: newContainer, renameOldTo: nil,
                    consoleURL: "http://\(ip):8089", newConsoleURL: "http://\(ip):8089", runsInit: index == 0)
            }
        }
        plan.haEnabled = haEnabled
        plan.addSteps()
        return plan
    }

    @Test("a one-node and a two-node plan list the runner's own steps, from the same builder")
    func sameBuilder() {
        let one = Self.plan(ips: [])
        let two = Self.plan(ips: ["10.0.0.1", "10.0.0.2"])
        let runnerOrder = StepSequence.production.upgrade.map(\.id)
        #expect(one.steps.map(\.id) == runnerOrder && two.steps.map(\.id) == runnerOrder)
        #expect(one.steps.map(\.downtime) == two.steps.map(\.downtime))
        #expect(one.steps.map(\.skippedBecause) == two.steps.map(\.skippedBecause))
        #expect(one.steps.first { $0.id == .haOff }?.skippedBecause == "HA is not on")
        #expect(Self.plan(ips: [], haEnabled: true).steps.allSatisfy { $0.skippedBecause == nil })
        for (planned, step) in zip(one.steps, StepSequence.production.upgrade) {
            #expect(planned.summary == step.summary)
        }
        for (planned, step) in zip(two.steps, StepSequence.production.upgrade) {
            #expect(planned.summary == step.multiNodeSummary)
            #expect(planned.manualCommands.isEmpty, "the manual procedure is a one-node one")
        }
        #expect(one.steps.first { $0.id == .stopOld }?.manualCommands == ["docker stop --time 60 old"])
        #expect(!one.isMultiNode && two.isMultiNode)
        #expect(one.nodes.count == 1 && two.nodes.count == 2)
    }

    @Test("the run acts on every node of the list: the one node on the command's engine, named by no IP")
    func runNodes() {
        let engine = FakeEngine()
        let one = RunNode.nodes(of: Self.plan(ips: []), engine: engine, logger: .init(label: "test"))
        #expect(one.map(\.ip) == [nil] && one.map(\.runsInit) == [true] && one.map(\.prefix) == [""])
        #expect(one.first?.engine is FakeEngine)
        let two = RunNode.nodes(
            of: Self.plan(ips: ["10.0.0.1", "10.0.0.2"]), engine: engine, logger: .init(label: "test"))
        #expect(two.map(\.ip) == ["10.0.0.1", "10.0.0.2"] && two.map(\.runsInit) == [true, false])
        #expect(two.allSatisfy { !($0.engine is FakeEngine) }, "each named node on its own engine")
    }

    @Test("an old single-node plan.json decodes into a one-node list; a new one round-trips in the new shape")
    func oldSingleNodeFile() throws {
        let plan = try Journal.decoder.decode(UpgradePlan.self, from: Data(OldPlanFiles.singleNode().utf8))
        #expect(plan.nodes.count == 1)
        let node = try #require(plan.nodes.first)
        #expect(node.ip == nil && node.endpoint == nil && node.location == nil && node.runsInit)
        #expect(node.oldContainer.name == "oms_demo_322" && node.newContainer.name == "oms_demo_330")

        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(plan)
        let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["oldContainer"] == nil && object["newContainer"] == nil && object["consoleURL"] == nil)
        #expect((object["nodes"] as? [Any])?.count == 1)
        let again = try Journal.decoder.decode(UpgradePlan.self, from: data)
        #expect(again.nodes == plan.nodes)
    }

    @Test("a plan.json with an empty node list is refused")
    func emptyNodesRefused() throws {
        var object = try #require(
            JSONSerialization.jsonObject(with: Data(OldPlanFiles.singleNode().utf8)) as? [String: Any])
        object["nodes"] = [Any]()
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try Journal.decoder.decode(UpgradePlan.self, from: data) }
    }
}
