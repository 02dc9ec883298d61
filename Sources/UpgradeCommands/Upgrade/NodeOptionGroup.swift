import ArgumentParser
import OMSDeployment
import UpgradeEngine

/// `--node IP=ENDPOINT`, repeated: the nodes of a multi-node deployment (`plan` and `apply`).
struct NodeOptionGroup: ParsableArguments {
    @Option(
        name: .customLong("node"),
        help: ArgumentHelp(
            "A node of a multi-node deployment and its Docker endpoint, repeated for every node.",
            discussion: "IP=ENDPOINT, ENDPOINT being unix://..., ssh://..., tcp://... or a docker"
                + " context name; without --node the deployment is the one container on"
                + " -H/--context.",
            valueName: "IP=ENDPOINT"))
    var nodes: [String] = []

    /// Whether the deployment was given as nodes.
    var isMultiNode: Bool { !nodes.isEmpty }

    /// The options `--node` does not go with.
    func validate(with upgrade: PlanOptionGroup) throws {
        guard isMultiNode else { return }
        _ = try parsed()
        if upgrade.hostIP != nil {
            throw ValidationError(
                "--host-ip does not go with --node: each node's OMS_HOST_IP is its IP in --node IP=ENDPOINT.")
        }
        if upgrade.sslCert != nil || upgrade.sslKey != nil {
            throw ValidationError("--ssl-cert/--ssl-key do not go with --node yet: each node keeps its console setup.")
        }
    }

    /// `--node` values parsed; each IP once.
    func parsed() throws -> [NodeEndpoint] {
        var seen: Set<String> = []
        return try nodes.map { text in
            let node: NodeEndpoint
            do { node = try NodeEndpoint(parsing: text) } catch { throw ValidationError("\(error)") }
            guard seen.insert(node.ip).inserted else {
                throw ValidationError("\(NodeEndpointError(argument: text, problem: .duplicateIP(node.ip)))")
            }
            return node
        }
    }

    /// The multi-node plan's options from the upgrade options and these nodes.
    func planOptions(_ upgrade: PlanOptionGroup) throws -> MultiNodePlanOptions {
        MultiNodePlanOptions(
            container: upgrade.container, image: upgrade.image, newName: upgrade.name, nodes: try parsed(),
            fromVersion: upgrade.fromVersion, toVersion: upgrade.toVersion, workDir: upgrade.workDir)
    }
}
