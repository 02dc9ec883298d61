import Foundation
import OMSDeployment

extension UpgradePlan {
    /// The run plan of a multi-node upgrade that passed its checks: every node as a ``NodeTarget``
    /// and every region's heartbeat database; the single-container fields describe the first node.
    ///
    /// Nil when the plan lacks its topology, its route or the first node's target (a check failed).
    init?(multiNode plan: MultiNodePlan, first: NodeReading, runOptions: PlanOptions) {
        let config = first.config
        guard let target = plan.nodeTargets.first(where: { $0.ip == first.ip }), let topology = plan.topology,
            let route = plan.route
        else { return nil }
        let heartbeats = topology.regions.map(\.heartbeatDatabase)
        self.init(
            options: runOptions, oldContainer: target.oldContainer, oldContainerSpec: target.oldContainerSpec,
            configPath: first.deployment.configPath,
            metaServer: .init(host: config.metaHost, port: config.metaPort, user: config.metaUser),
            databases: MetaDatabases(
                rm: topology.rmDatabase, cm: topology.cmDatabase, cmHeartbeat: heartbeats.first ?? "",
                otherHeartbeats: Array(heartbeats.dropFirst())),
            route: route, newContainer: target.newContainer, renameOldTo: target.renameOldTo,
            consoleURL: target.consoleURL, newConsoleURL: target.newConsoleURL, haEnabled: plan.haEnabled,
            checks: plan.checks)
        sizes = plan.sizes
        nodes = plan.nodeTargets
        haKeys = plan.haKeys ?? []
        let haEnabled = haEnabled
        steps = StepID.upgradeSequence.map { step in
            var skipped: String?
            if step == .haOff || step == .haOn, haEnabled != true { skipped = "HA is not on" }
            return PlannedStep(
                id: step, summary: step.summary(multiNode: true), downtime: step.isDowntime, manualCommands: [],
                skippedBecause: skipped)
        }
    }
}
