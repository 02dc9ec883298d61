import Foundation
import OMSDeployment

extension UpgradePlan {
    /// The run plan of a multi-node upgrade that passed its checks: every node as a ``NodeTarget``
    /// and every region's heartbeat database, with the steps every plan gets (``addSteps()``).
    ///
    /// Nil when the plan lacks its topology, its route or its nodes (a check failed).
    init?(multiNode plan: MultiNodePlan, first: NodeReading, runOptions: PlanOptions) {
        let config = first.config
        guard !plan.nodeTargets.isEmpty, let topology = plan.topology, let route = plan.route else { return nil }
        let heartbeats = topology.regions.map(\.heartbeatDatabase)
        self.init(
            options: runOptions, nodes: plan.nodeTargets, configPath: first.deployment.configPath,
            metaServer: .init(host: config.metaHost, port: config.metaPort, user: config.metaUser),
            databases: MetaDatabases(
                rm: topology.rmDatabase, cm: topology.cmDatabase, cmHeartbeat: heartbeats.first ?? "",
                otherHeartbeats: Array(heartbeats.dropFirst())),
            route: route, haEnabled: plan.haEnabled, checks: plan.checks)
        sizes = plan.sizes
        haKeys = plan.haKeys ?? []
        addSteps()
    }
}
