import Foundation
import MetaDB

extension OutageEstimator {
    /// A plan's outage estimate over its nodes: the metadata server (`meta`) measured once through
    /// the first node, each other node's engine and old container on the node, each node's estimate,
    /// and the run's.
    ///
    /// `runsInit` names the nodes where `docker_init.sh` runs. The one node of a deployment planned
    /// without `--node` (no address) is the whole run: its estimate is the run's, with no per-node list.
    func planEstimate(
        nodes: [PlannedNode], runsInit: (PlannedNode) -> Bool, meta: ConnectionOptions, rmDatabase: String,
        tables: Int, madeAt: String
    ) async -> (run: OutageEstimate, perNode: [NodeOutageEstimate]?)? {
        guard let first = nodes.first else { return nil }
        let shared = await Self.measure(
            engine: first.engine, container: first.deployment.container.id, meta: meta, rmDatabase: rmDatabase,
            tables: tables)
        var measurements: [NodeMeasurement] = []
        for (index, node) in nodes.enumerated() {
            if index == 0 {
                measurements.append(
                    .init(
                        ip: node.name, engine: shared.engine, oldStart: shared.oldStart, runsInit: runsInit(node),
                        logRead: shared.logRead))
                continue
            }
            let measured = await Self.measureNode(engine: node.engine, container: node.deployment.container.id)
            measurements.append(
                .init(
                    ip: node.name, engine: measured.engine, oldStart: measured.oldStart, runsInit: runsInit(node),
                    logRead: measured.logRead))
        }
        let perNode = nodeEstimates(shared: shared, nodes: measurements, madeAt: madeAt)
        if nodes.count == 1, first.address == nil, let only = perNode.first { return (only.estimate, nil) }
        return (Self.combined(perNode, madeAt: madeAt), perNode)
    }
}
