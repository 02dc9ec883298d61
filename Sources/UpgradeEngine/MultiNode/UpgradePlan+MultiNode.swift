import Foundation
import OMSDeployment

extension UpgradePlan {
    /// The run plan of a multi-node upgrade that passed its checks: every node as a ``NodeTarget``
    /// and every region's heartbeat database; the single-container fields describe the first node.
    init(multiNode plan: MultiNodePlan, first: NodeReading, runOptions: PlanOptions) {
        self.init(options: runOptions)
        let config = first.config
        let target = plan.nodeTargets.first { $0.ip == first.ip }
        oldContainer = target?.oldContainer
        oldContainerSpec = target?.oldContainerSpec
        newContainer = target?.newContainer
        renameOldTo = target?.renameOldTo
        consoleURL = target?.consoleURL
        newConsoleURL = target?.newConsoleURL
        configPath = first.deployment.configPath
        metaEndpoint = config.metaConnection().endpoint
        metaEndpointParts = .init(host: config.metaHost, port: config.metaPort, user: config.metaUser)
        if let topology = plan.topology {
            let heartbeats = topology.regions.map(\.heartbeatDatabase)
            databases = MetaDatabases(
                rm: topology.rmDatabase, cm: topology.cmDatabase, cmHeartbeat: heartbeats.first ?? "",
                otherHeartbeats: Array(heartbeats.dropFirst()))
        }
        route = plan.route
        haEnabled = plan.haEnabled
        sizes = plan.sizes
        checks = plan.checks
        nodes = plan.nodeTargets
        steps = StepID.upgradeSequence.map { step in
            var skipped: String?
            if step == .haOff || step == .haOn, haEnabled != true { skipped = "HA is not on" }
            return PlannedStep(
                id: step, summary: step.summary, downtime: step.isDowntime, manualCommands: [],
                skippedBecause: skipped)
        }
        downtimeEstimateSeconds = 10 + 1 + 1 + 5 + 30 + 60
    }
}
