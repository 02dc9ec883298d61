import Foundation
import Testing

@testable import UpgradeEngine

/// A multi-node plan estimates the outage of every node and of the run, with the single-node type.
@Suite("multi-node outage estimate")
struct MultiNodeEstimateTests {
    let shared = OutageEstimator.Measurements(engine: 0.04, meta: 0.001, ddl: 0.01, tables: 12)
    let nodes = [
        OutageEstimator.NodeMeasurement(
            ip: "10.0.0.1", engine: 0.04, oldStart: .init(seconds: 0.5, afterInit: true), runsInit: true),
        OutageEstimator.NodeMeasurement(ip: "10.0.0.2", engine: 0.2, oldStart: nil, runsInit: false),
    ]

    @Test("each part of the run is its slowest node's; a node that runs no init waits for none")
    func slowestNode() throws {
        let perNode = OutageEstimator(stopTimeout: 60).nodeEstimates(shared: shared, nodes: nodes, madeAt: "plan")
        #expect(perNode.map(\.ip) == ["10.0.0.1", "10.0.0.2"])
        let first = perNode[0].estimate
        let second = perNode[1].estimate
        #expect(first.seconds(.initScript) == nil)
        #expect(second.seconds(.initScript) == 0)
        // The old OMS's own start after its init, then half a 100 ms interval and 1.5 rounds of a log read.
        #expect(first.seconds(.health).map { abs($0 - (0.5 + 0.05 + 1.5 * 0.04)) < 1e-9 } == true)
        #expect(second.seconds(.stop).map { abs($0 - 0.3) < 1e-9 } == true)
        #expect(first.seconds(.catchUp) == second.seconds(.catchUp), "the metadata server is measured once")

        let run = OutageEstimator.combined(perNode, madeAt: "plan")
        #expect(run.items.map(\.part) == OutageEstimate.Part.allCases)
        for part in OutageEstimate.Part.allCases where part != .initScript {
            let slowest = perNode.compactMap { $0.estimate.seconds(part) }.max()
            #expect(run.seconds(part) == slowest, "\(part)")
        }
        #expect(run.seconds(.initScript) == nil, "the init node's init is unknown on a first run")
        #expect(run.items.first { $0.part == .stop }?.basis.hasPrefix("the slowest of 2 nodes, 10.0.0.2: ") == true)
        #expect(run.items.first { $0.part == .health }?.basis.contains("10.0.0.1") == true)
        #expect(abs(run.toolWorkSeconds - (run.toolSeconds - 0.5)) < 1e-9, "the slowest node's OMS start-up is OMS's")
    }

    @Test("the multi-node plan prints the run's estimate and each node's, and keeps both in its JSON")
    func textAndJSON() throws {
        var plan = MultiNodePlan(
            options: MultiNodePlanOptions(container: "oms", image: "oms:feature_3.3.0_ce", nodes: []))
        let perNode = OutageEstimator(stopTimeout: 60).nodeEstimates(shared: shared, nodes: nodes, madeAt: "plan")
        plan.nodeEstimates = perNode
        plan.outageEstimate = OutageEstimator.combined(perNode, madeAt: "plan")
        let text = plan.renderText()
        #expect(text.contains("Estimated outage (the nodes stop and start together"), "\(text)")
        #expect(text.contains("the tool's own part (all but init): "), "\(text)")
        #expect(text.contains("    10.0.0.2: stop 0.30 s, catch-up "), "\(text)")
        #expect(text.contains("init 0.00 s"), "\(text)")
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(MultiNodePlan.self, from: encoder.encode(plan))
        #expect(decoded.outageEstimate == plan.outageEstimate)
        #expect(decoded.nodeEstimates == perNode)
    }
}
