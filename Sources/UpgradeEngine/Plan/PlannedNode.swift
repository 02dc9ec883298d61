import Containers
import Foundation
import OMSDeployment

/// One node as the planner discovered it: the engine that reaches it, its old container and
/// config.yaml, and from these the new container that replaces it.
///
/// ``Planner`` discovers every node into it: the one node of a deployment planned without
/// `--node` is reached through the command's engine and named by no address; `--node` gives each
/// node its IP and endpoint.
struct PlannedNode: Sendable {
    /// The node's IP and Docker endpoint from `--node`; nil for the one node reached through the
    /// command's engine.
    var address: NodeEndpoint?
    /// The engine that reaches the node.
    var engine: any ContainerEngine
    /// The node's OMS container, mounts and config.yaml.
    var deployment: Deployment

    /// The node of a deployment planned without `--node`, found through `engine`.
    init(engine: any ContainerEngine, deployment: Deployment) {
        self.engine = engine
        self.deployment = deployment
    }

    /// A node given with `--node`, as ``TopologyReader`` read it; its engine is made with `makeEngine`.
    init(_ reading: NodeReading, makeEngine: (NodeEndpoint) -> any ContainerEngine) {
        self.address = reading.node
        self.engine = makeEngine(reading.node)
        self.deployment = reading.deployment
    }

    /// The node's name in messages: its IP, or for the one node without an address its container's name.
    var name: String { address?.ip ?? deployment.container.name }

    /// The node's Docker endpoint in messages; for the one node without an address, the command's engine.
    var endpoint: String { address?.endpoint ?? "the command's engine" }

    /// The old container as the plan records it.
    var oldContainer: UpgradePlan.OldContainer {
        let old = deployment.container
        return .init(name: old.name, id: old.id, image: old.image, running: old.state.running)
    }

    /// The old container's settings as a run spec, for recreating it by hand if it is ever deleted.
    var oldContainerSpec: ContainerRunSpec {
        let old = deployment.container
        return ContainerRunSpec(
            name: old.name, image: old.image, mounts: old.mounts, env: old.env,
            networkMode: old.networkMode, privileged: old.privileged, pidsLimit: old.pidsLimit,
            ulimits: old.ulimits, restartPolicy: old.restartPolicy, labels: old.labels,
            portBindings: old.portBindings, capAdd: old.capAdd, interactive: old.openStdin, tty: old.tty)
    }

    /// The old console's URL on the node.
    func consoleURL() throws -> String {
        try deployment.consoleURL.absoluteString
    }

    /// The new container built from the old one with `options`.
    func newContainer(_ options: NewContainerOptions) throws -> NewContainerPlan {
        try NewContainerSpec.build(for: deployment, options: options)
    }

    /// The new console's URL on the node, for the new container `new`.
    func newConsoleURL(_ new: NewContainerPlan) throws -> String {
        try new.consoleURL(port: deployment.config.ports.nginx).absoluteString
    }

    /// The node's target in the plan, with the new container `new`; `runsInit` tells whether the
    /// metadata init runs here.
    func target(new: NewContainerPlan, runsInit: Bool) throws -> NodeTarget {
        NodeTarget(
            ip: address?.ip, endpoint: address?.endpoint, location: deployment.config.cmLocation,
            oldContainer: oldContainer, oldContainerSpec: oldContainerSpec, newContainer: new.spec,
            renameOldTo: new.renameOldTo, consoleURL: try consoleURL(), newConsoleURL: try newConsoleURL(new),
            runsInit: runsInit)
    }
}
