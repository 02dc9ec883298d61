import Containers
import Foundation
import Logging
import MetaDB
import OMSDeployment

/// Reads every node of a multi-node deployment and decides its upgrade, changing nothing anywhere.
///
/// Like ``PlanBuilder``, every problem becomes a failed ``PreflightCheck`` naming the node it is
/// about, so one run of `plan` lists all of them.
public struct MultiNodePlanBuilder: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Builds the plan for `options`; `runOptions` (the stop timeout, the work directory's earlier
    /// runs) sharpen its outage estimate.
    public func build(_ options: MultiNodePlanOptions, runOptions: PlanOptions? = nil) async -> MultiNodePlan {
        await assess(options, runOptions: runOptions).plan
    }

    /// Builds the plan for `options`, and from it the run plan `apply` carries out (nil when a
    /// check failed, or the nodes could not be read).
    public func buildForApply(
        _ options: MultiNodePlanOptions, runOptions: PlanOptions
    ) async -> (plan: MultiNodePlan, upgrade: UpgradePlan?) {
        let assessment = await assess(options, runOptions: runOptions)
        var plan = assessment.plan
        guard plan.isReady, let first = assessment.readings.first,
            var upgrade = UpgradePlan(multiNode: plan, first: first, runOptions: runOptions)
        else { return (plan, nil) }
        upgrade.outageEstimate = plan.outageEstimate
        upgrade.downtimeEstimateSeconds = plan.outageEstimate.map { $0.totalSeconds ?? $0.toolSeconds } ?? 0
        DeploymentChecks.checkWorkDir(
            &plan.checks, options: runOptions, deploymentKey: upgrade.deploymentKey, sizes: upgrade.sizes)
        upgrade.checks = plan.checks
        return (plan, plan.isReady ? upgrade : nil)
    }

    /// The plan, the nodes' readings and the route's details.
    private func assess(
        _ options: MultiNodePlanOptions, runOptions: PlanOptions?
    ) async -> (plan: MultiNodePlan, readings: [NodeReading], route: UpgradeRoute?) {
        var plan = MultiNodePlan(options: options)
        let readings = await read(&plan)
        guard readings.count == options.nodes.count else { return (plan, readings, nil) }
        switch Topology.assemble(readings) {
        case .failure(let failure):
            plan.checks += failure.problems.map(Self.check)
            return (plan, readings, nil)
        case .success(let topology):
            plan.topology = topology
            plan.checks.append(
                .pass(
                    "topology",
                    "\(options.nodes.count) node(s) in \(topology.regions.count) region(s)"
                        + " agree on the container name, mounts, ports, metadata server and database names."))
        }
        guard let topology = plan.topology else { return (plan, readings, nil) }
        let logger = logger
        let nodes = readings.map { PlannedNode($0) { $0.makeEngine(logger: logger) } }
        var deploymentChecks = DeploymentChecks(shape: .nodes(topology))
        deploymentChecks.checkRoute(
            &plan.checks,
            versions: .init(from: options.fromVersion, to: options.toVersion, image: options.image),
            oldImages: readings.map { (node: $0.ip, image: $0.deployment.container.image) },
            oldVersion: readings[0].deployment.version)
        let route = deploymentChecks.route
        plan.route = route
        await NodeChecks.images(&plan.checks, nodes: nodes, image: options.image)
        checkNewContainer(&plan, nodes: nodes, topology: topology, route: route)
        await checkNewName(&plan, nodes: nodes)
        await deploymentChecks.checkMetadata(
            &plan.checks, config: readings[0].config, configPath: readings[0].deployment.configPath,
            workDir: options.workDir)
        plan.metadata = deploymentChecks.metadata
        plan.sizes = deploymentChecks.sizes
        plan.haEnabled = deploymentChecks.haEnabled
        plan.haKeys = deploymentChecks.haKeys
        if plan.isReady {
            await estimateOutage(&plan, nodes: nodes, first: readings[0], topology: topology, runOptions: runOptions)
        }
        return (plan, readings, route)
    }

    /// The outage estimate of every node and of the run: the metadata server measured once, each
    /// node's engine and old container on the node.
    private func estimateOutage(
        _ plan: inout MultiNodePlan, nodes planned: [PlannedNode], first: NodeReading, topology: Topology,
        runOptions: PlanOptions?
    ) async {
        var estimator = OutageEstimator(stopTimeout: runOptions?.stopTimeout ?? 60)
        if let runOptions, let upgrade = UpgradePlan(multiNode: plan, first: first, runOptions: runOptions) {
            estimator = OutageEstimator.forPlan(upgrade)
        }
        let estimate = await estimator.planEstimate(
            nodes: planned, runsInit: { topology.initNodes.contains($0.name) },
            meta: first.config.metaConnection(connectTimeout: 5), rmDatabase: topology.rmDatabase,
            tables: plan.sizes.reduce(0) { $0 + $1.tables }, madeAt: "plan")
        plan.nodeEstimates = estimate?.perNode
        plan.outageEstimate = estimate?.run
    }

    static func check(_ problem: TopologyProblem) -> PreflightCheck {
        .fail(problem.check, problem.detail, remedy: problem.remedy)
    }

    /// Every node's engine, container and config.yaml.
    private func read(_ plan: inout MultiNodePlan) async -> [NodeReading] {
        var readings: [NodeReading] = []
        let results = await TopologyReader(nodes: plan.options.nodes, container: plan.options.container, logger: logger)
            .read()
        for result in results {
            switch result {
            case .success(let reading):
                readings.append(reading)
                let container = reading.deployment.container
                plan.checks.append(
                    container.state.running
                        ? .pass(
                            "node",
                            "Node \(reading.ip): \(container.name) runs \(container.image); config.yaml at"
                                + " \(reading.deployment.configPath).")
                        : .warn(
                            "node",
                            "Node \(reading.ip): \(container.name) exists but is not running"
                                + " (\(container.state.status)).",
                            remedy: "Start it first if the upgrade should begin from a healthy OMS."))
            case .failure(let problem):
                plan.checks.append(Self.check(problem))
            }
        }
        checkMounts(&plan, readings: readings)
        return readings
    }

    /// Every bind source exists on the nodes whose host paths are visible here (config.yaml was
    /// read from its host path); on other nodes the sources are out of this tool's sight.
    private func checkMounts(_ plan: inout MultiNodePlan, readings: [NodeReading]) {
        var unchecked: [String] = []
        for reading in readings {
            guard FileManager.default.isReadableFile(atPath: reading.deployment.configPath) else {
                unchecked.append(reading.ip)
                continue
            }
            do {
                try reading.deployment.validateMountSources()
            } catch {
                plan.checks.append(
                    .fail(
                        "mounts", "Node \(reading.ip): \(error)",
                        remedy: "Restore the missing host directory or file on \(reading.ip); the new container"
                            + " must use the same mounts."))
            }
        }
        if !unchecked.isEmpty {
            plan.checks.append(
                .warn(
                    "mounts",
                    "The mount sources of node(s) \(unchecked.joined(separator: ", ")) are on other hosts and were"
                        + " not checked (config.yaml was read through the engine).",
                    remedy: "Check on each such node that every bind source of the OMS container exists."))
        }
    }

    /// Each node's new container can be built from its old one (with its own OMS_HOST_IP): the node targets.
    private func checkNewContainer(
        _ plan: inout MultiNodePlan, nodes: [PlannedNode], topology: Topology, route: UpgradeRoute?
    ) {
        var names: Set<String> = []
        for node in nodes {
            do {
                let new = try node.newContainer(
                    NewContainerOptions(
                        image: plan.options.image, name: plan.options.newName, hostIP: node.name,
                        targetVersion: plan.options.toVersion.flatMap(OMSVersion.init(parsing:)), route: route))
                names.insert(new.spec.name)
                plan.nodeTargets.append(try node.target(new: new, runsInit: topology.initNodes.contains(node.name)))
            } catch {
                plan.checks.append(
                    .fail(
                        "new-container", "Node \(node.name): \(error)",
                        remedy: "Pass --name with the new containers' name."))
            }
        }
        if names.count == 1 { plan.newContainerName = names.first }
    }

    /// The new containers' name is free on every node.
    private func checkNewName(_ plan: inout MultiNodePlan, nodes: [PlannedNode]) async {
        guard let name = plan.newContainerName, name != plan.options.container else { return }
        var taken: [String] = []
        for node in nodes {
            if (try? await node.engine.containerExists(name)) == true {
                taken.append(node.name)
            }
        }
        if taken.isEmpty {
            plan.checks.append(.pass("new-container", "The new containers will be named \(name) on every node."))
        } else {
            plan.checks.append(
                .fail(
                    "new-name",
                    "A container named \(name) already exists on node(s)"
                        + " \(taken.joined(separator: ", ")).", remedy: "Pass --name with a name free on every node."))
        }
    }
}
