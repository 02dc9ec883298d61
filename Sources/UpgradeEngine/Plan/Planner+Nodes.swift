import Containers
import Foundation
import OMSDeployment

extension Planner {
    /// Finds the nodes and checks each one's old container and mounts (and for `--node`, that the
    /// nodes agree on a topology); false when the plan cannot go further.
    func discover(_ draft: inout Draft) async -> Bool {
        if let addresses = draft.addresses {
            await readNodes(&draft, addresses: addresses)
        } else {
            await findOneNode(&draft)
        }
        guard let first = draft.nodes.first else { return false }
        Self.checkMounts(&draft.checks, nodes: draft.nodes)
        if let addresses = draft.addresses {
            guard draft.nodes.count == addresses.count, assembleTopology(&draft) else { return false }
        }
        let deployment = first.deployment
        draft.findings.oldContainer = first.oldContainer
        draft.findings.oldContainerSpec = first.oldContainerSpec
        draft.findings.configPath = deployment.configPath
        draft.findings.location = deployment.config.cmLocation
        draft.findings.databases = draft.topology?.metaDatabases ?? deployment.config.databases
        draft.findings.metaServer = .init(
            host: deployment.config.metaHost, port: deployment.config.metaPort, user: deployment.config.metaUser)
        return true
    }

    /// The one node of a deployment planned without `--node`: the container on the command's engine.
    private func findOneNode(_ draft: inout Draft) async {
        do {
            try await engine.ping()
            draft.checks.append(.pass("docker", "The Docker engine answers."))
        } catch {
            draft.checks.append(
                .fail(
                    "docker", "\(error)",
                    remedy: "Start dockerd, or point --host/--context/DOCKER_HOST at the engine that runs OMS."))
            return
        }
        let deployment: Deployment
        do {
            deployment = try await Deployment.discover(container: draft.options.container, engine: engine)
        } catch {
            draft.checks.append(
                .fail(
                    "old-container", "\(error)",
                    remedy: "Pass --container with the name or id of the running OMS container (see `docker ps`)."))
            return
        }
        let node = PlannedNode(engine: engine, deployment: deployment)
        draft.nodes = [node]
        let old = deployment.container
        do {
            draft.findings.consoleURL = try node.consoleURL()
        } catch {
            draft.checks.append(
                .fail("host-ip", "\(error)", remedy: "Fix OMS_HOST_IP on the old container, or pass --host-ip."))
        }
        draft.checks.append(
            old.state.running
                ? .pass(
                    "old-container",
                    "\(old.name) (\(old.id.prefix(12))) runs \(old.image) with the OMS layout; config.yaml at \(deployment.configPath)."
                )
                : .warn(
                    "old-container", "\(old.name) exists but is not running (\(old.state.status)).",
                    remedy: "Start it first if the upgrade should begin from a healthy OMS."))
        if let multiNode = Self.multiNodeCheck(deployment.config) { draft.checks.append(multiNode) }
    }

    /// Every node given with `--node`: its engine, container and config.yaml.
    private func readNodes(_ draft: inout Draft, addresses: [NodeEndpoint]) async {
        let results = await TopologyReader(nodes: addresses, container: draft.options.container, logger: logger).read()
        let logger = logger
        for result in results {
            switch result {
            case .success(let reading):
                draft.nodes.append(PlannedNode(reading) { $0.makeEngine(logger: logger) })
                let container = reading.deployment.container
                draft.checks.append(
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
                draft.checks.append(Self.check(problem))
            }
        }
    }

    /// The topology the `--node` nodes agree on, which the deployment-wide checks then follow;
    /// false when they disagree.
    private func assembleTopology(_ draft: inout Draft) -> Bool {
        let readings = draft.nodes.compactMap { node in
            node.address.map { NodeReading(node: $0, deployment: node.deployment) }
        }
        switch Topology.assemble(readings) {
        case .failure(let failure):
            draft.checks += failure.problems.map(Self.check)
            return false
        case .success(let topology):
            draft.topology = topology
            draft.deploymentChecks = DeploymentChecks(shape: .nodes(topology))
            draft.checks.append(
                .pass(
                    "topology",
                    "\(readings.count) node(s) in \(topology.regions.count) region(s)"
                        + " agree on the container name, mounts, ports, metadata server and database names."))
            return true
        }
    }

    /// A topology problem as a failed check.
    static func check(_ problem: TopologyProblem) -> PreflightCheck {
        .fail(problem.check, problem.detail, remedy: problem.remedy)
    }

    /// Every bind source of each node's old container exists, where its host paths are visible
    /// here: always for the one node on the command's engine; for a `--node` node when its
    /// config.yaml was read from its host path (the others' sources are out of this tool's sight).
    static func checkMounts(_ checks: inout [PreflightCheck], nodes: [PlannedNode]) {
        if nodes.count == 1, nodes[0].address == nil {
            let old = nodes[0].deployment.container
            do {
                try nodes[0].deployment.validateMountSources()
                checks.append(.pass("mounts", "Every mount source of \(old.name) exists on this host."))
            } catch {
                checks.append(
                    .fail(
                        "mounts", "\(error)",
                        remedy:
                            "Restore the missing host directory or file; the new container must use the same mounts."
                    ))
            }
            return
        }
        var unchecked: [String] = []
        for node in nodes {
            guard FileManager.default.isReadableFile(atPath: node.deployment.configPath) else {
                unchecked.append(node.name)
                continue
            }
            do {
                try node.deployment.validateMountSources()
            } catch {
                checks.append(
                    .fail(
                        "mounts", "Node \(node.name): \(error)",
                        remedy: "Restore the missing host directory or file on \(node.name); the new container"
                            + " must use the same mounts."))
            }
        }
        if !unchecked.isEmpty {
            checks.append(
                .warn(
                    "mounts",
                    "The mount sources of node(s) \(unchecked.joined(separator: ", ")) are on other hosts and were"
                        + " not checked (config.yaml was read through the engine).",
                    remedy: "Check on each such node that every bind source of the OMS container exists."))
        }
    }
}
