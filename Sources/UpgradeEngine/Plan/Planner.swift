import Containers
import Foundation
import Logging
import MetaDB
import OMSDeployment

/// Reads a live deployment and decides the whole upgrade, changing nothing.
///
/// One planner for every shape of deployment: it discovers the nodes (the one container on the
/// command's engine, or every `--node`), then runs each check over the node list and once over the
/// deployment. Every problem becomes a failed ``PreflightCheck`` with a remedy rather than a thrown
/// error, so that one run of `plan` lists all of them; later checks that depend on an earlier
/// failed one are left out. A single node's checks keep the words single-node plans have always
/// used, and `--node` plans name the node each check is about.
public struct Planner: Sendable {
    /// The engine the command was given: it reaches the one node of a deployment planned without `--node`.
    let engine: any ContainerEngine
    let logger: Logger

    public init(engine: any ContainerEngine, logger: Logger) {
        self.engine = engine
        self.logger = logger
    }

    /// What the checks have found so far, over the node list.
    struct Draft {
        let options: PlanOptions
        /// The nodes given with `--node`; nil for the one node reached through the command's engine.
        let addresses: [NodeEndpoint]?
        let createdAt = Date()
        var checks: [PreflightCheck] = []
        /// The nodes discovered so far, in the order of `--node`.
        var nodes: [PlannedNode] = []
        /// The topology the nodes' config.yaml files agree on (`--node` only).
        var topology: Topology?
        /// The deployment-wide checks and what they found.
        var deploymentChecks: DeploymentChecks
        /// The deployment's and the first node's parts of the plan.
        var findings = PlanFindings()
        /// Each node's target, once its new container could be built.
        var targets: [NodeTarget] = []
        /// The new containers' name, when every node's is the same.
        var newContainerName: String?

        init(options: PlanOptions, addresses: [NodeEndpoint]?) {
            self.options = options
            self.addresses = addresses
            self.deploymentChecks = DeploymentChecks(shape: .oneNode)
        }

        /// Whether the metadata init runs on `node`: on the topology's init nodes, or on the one node.
        func runsInit(_ node: PlannedNode) -> Bool {
            topology.map { $0.initNodes.contains(node.name) } ?? true
        }
    }

    /// The plan of the one node reached through the command's engine: every check for `options`;
    /// the report holds the plan when none failed.
    public func build(_ options: PlanOptions) async -> PlanReport {
        var draft = Draft(options: options, addresses: nil)
        await check(&draft)
        var report = PlanReport(
            options: options, createdAt: draft.createdAt, checks: draft.checks, findings: draft.findings)
        if var plan = report.plan {
            plan.addSteps()
            await estimateOutage(&plan, draft: draft)
            report = PlanReport(plan: plan)
        }
        return report
    }

    /// The plan of the nodes given with `--node` (`options`); `runOptions` carries the rest of
    /// what the operator asked (the stop timeout, the work directory).
    public func build(_ options: MultiNodePlanOptions, runOptions: PlanOptions) async -> MultiNodePlan {
        await buildForApply(options, runOptions: runOptions).plan
    }

    /// The plan of the nodes given with `--node`, and from it the run plan `apply` carries out (nil
    /// when a check failed).
    public func buildForApply(
        _ options: MultiNodePlanOptions, runOptions: PlanOptions
    ) async -> (plan: MultiNodePlan, upgrade: UpgradePlan?) {
        var draft = Draft(options: runOptions, addresses: options.nodes)
        await check(&draft)
        var upgrade = draft.nodesPlan()
        var nodeEstimates: [NodeOutageEstimate]?
        if var ready = upgrade {
            nodeEstimates = await estimateOutage(&ready, draft: draft)
            upgrade = ready
        }
        return (draft.multiNodePlan(options, upgrade: upgrade, nodeEstimates: nodeEstimates), upgrade)
    }

    /// Every check, in the order plans list them: the nodes, each node's old and new container, the
    /// route, the metadata server, the work directory.
    private func check(_ draft: inout Draft) async {
        guard await discover(&draft) else { return }
        let options = draft.options
        let nodes = draft.nodes
        draft.deploymentChecks.checkRoute(
            &draft.checks,
            versions: .init(from: options.fromVersion, to: options.toVersion, image: options.image),
            oldImages: nodes.map { (node: $0.name, image: $0.deployment.container.image) },
            oldVersion: nodes[0].deployment.version)
        draft.findings.route = draft.deploymentChecks.route
        await NodeChecks.images(&draft.checks, nodes: nodes, image: options.image)
        await checkNewContainers(&draft)
        let first = nodes[0].deployment
        await draft.deploymentChecks.checkMetadata(
            &draft.checks, config: first.config, configPath: first.configPath, workDir: options.workDir)
        draft.takeDeploymentFindings()
        DeploymentChecks.checkWorkDir(
            &draft.checks, options: options, deploymentKey: draft.findings.deploymentKey, sizes: draft.findings.sizes)
    }

    /// The plan's outage estimate, measured through its nodes: the metadata server once, each
    /// node's engine and old container on the node. Returns each node's estimate (nil for the one
    /// node reached through the command's engine, whose estimate is the run's).
    @discardableResult
    private func estimateOutage(_ plan: inout UpgradePlan, draft: Draft) async -> [NodeOutageEstimate]? {
        let estimate = await OutageEstimator.forPlan(plan).planEstimate(
            nodes: draft.nodes, runsInit: draft.runsInit, meta: draft.nodes[0].deployment.config.metaConnection(),
            rmDatabase: plan.databases.rm, tables: plan.sizes.reduce(0) { $0 + $1.tables }, madeAt: "plan")
        plan.outageEstimate = estimate?.run
        plan.downtimeEstimateSeconds = plan.outageEstimate.map { $0.totalSeconds ?? $0.toolSeconds } ?? 0
        return estimate?.perNode
    }
}
