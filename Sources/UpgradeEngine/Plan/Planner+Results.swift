import Foundation
import OMSDeployment

extension Planner.Draft {
    /// Copies the deployment-wide checks' findings into ``findings``.
    mutating func takeDeploymentFindings() {
        findings.route = deploymentChecks.route
        findings.haEnabled = deploymentChecks.haEnabled
        findings.haKeys = deploymentChecks.haKeys
        findings.sizes = deploymentChecks.sizes
        findings.heartbeatRowsToPrune = deploymentChecks.heartbeatRowsToPrune
    }

    /// The run plan of the `--node` nodes, with its steps: every node's target; nil when a check
    /// failed or a node has no target.
    func nodesPlan() -> UpgradePlan? {
        guard !checks.contains(where: { $0.status == .fail }), !targets.isEmpty, targets.count == nodes.count,
            var plan = UpgradePlan(options: options, createdAt: createdAt, checks: checks, findings: findings)
        else { return nil }
        plan.nodes = targets
        plan.addSteps()
        return plan
    }

    /// The `--node` plan as `plan` prints it, with the run plan's estimate (`upgrade`) and each node's.
    func multiNodePlan(
        _ options: MultiNodePlanOptions, upgrade: UpgradePlan?, nodeEstimates: [NodeOutageEstimate]?
    ) -> MultiNodePlan {
        var plan = MultiNodePlan(options: options, createdAt: createdAt)
        plan.topology = topology
        plan.metadata = deploymentChecks.metadata
        plan.route = deploymentChecks.route
        plan.haEnabled = deploymentChecks.haEnabled
        plan.haKeys = deploymentChecks.haKeys
        plan.newContainerName = newContainerName
        plan.sizes = deploymentChecks.sizes
        plan.heartbeatRowsToPrune = topology == nil ? nil : deploymentChecks.heartbeatRowsToPrune
        plan.nodeTargets = targets
        plan.outageEstimate = upgrade?.outageEstimate
        plan.nodeEstimates = nodeEstimates
        plan.checks = checks
        return plan
    }
}

extension Topology {
    /// The metadata databases of the deployment: rm, cm and every region's heartbeat database (the
    /// first region's as `cmHeartbeat`).
    var metaDatabases: MetaDatabases {
        let heartbeats = regions.map(\.heartbeatDatabase)
        return MetaDatabases(
            rm: rmDatabase, cm: cmDatabase, cmHeartbeat: heartbeats.first ?? "",
            otherHeartbeats: Array(heartbeats.dropFirst()))
    }
}
