import Containers
import Logging
import OMSDeployment

/// One OMS node a run acts on: its engine, its old container and the new one planned there.
///
/// One per ``NodeTarget`` of the plan: a node named by `--node` on its own engine, the one node of a
/// deployment planned without `--node` on the engine the command was given.
public struct RunNode: Sendable {
    /// The node's IP, or nil for the one node of a deployment planned without `--node`.
    public let ip: String?
    public let engine: any ContainerEngine
    /// The old container as the command named it (the same on every node), and its id at plan time.
    public let oldName: String
    public let oldContainerID: String
    /// The old container's settings, for recreating it by hand.
    public let oldContainerSpec: ContainerRunSpec
    public let newContainer: ContainerRunSpec
    /// Nil when the new container has a name of its own.
    public let renameOldTo: String?
    public let consoleURL: String
    public let newConsoleURL: String
    /// Whether the metadata init runs here.
    public let runsInit: Bool

    /// `node 10.0.0.2: ` before a message about this node; empty for the one node of a single-node run.
    public var prefix: String { ip.map { "node \($0): " } ?? "" }

    /// The new container's name.
    public var newName: String { newContainer.name }

    /// The nodes of `plan`, each on its own engine, or on `engine` when the plan gives it none.
    static func nodes(of plan: UpgradePlan, engine: any ContainerEngine, logger: Logger) -> [RunNode] {
        plan.nodes.map { target in
            RunNode(
                ip: target.ip, engine: target.address?.makeEngine(logger: logger) ?? engine,
                oldName: plan.options.container, oldContainerID: target.oldContainer.id,
                oldContainerSpec: target.oldContainerSpec, newContainer: target.newContainer,
                renameOldTo: target.renameOldTo, consoleURL: target.consoleURL, newConsoleURL: target.newConsoleURL,
                runsInit: target.runsInit)
        }
    }
}
