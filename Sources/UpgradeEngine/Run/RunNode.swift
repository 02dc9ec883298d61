import Containers
import Logging
import OMSDeployment

/// One OMS node a run acts on: its engine, its old container and the new one planned there.
///
/// A single-node run has one, on the engine the command was given; a multi-node run has one per
/// ``NodeTarget`` of the plan, each on its own engine.
public struct RunNode: Sendable {
    /// The node's IP, or nil for the one node of a single-node run.
    public let ip: String?
    public let engine: any ContainerEngine
    /// The old container's name and id at plan time.
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

    /// The nodes of `plan`: its targets on their own engines, or the one container on `engine`.
    static func nodes(of plan: UpgradePlan, engine: any ContainerEngine, logger: Logger) -> [RunNode] {
        guard let targets = plan.nodes else {
            return [
                RunNode(
                    ip: nil, engine: engine, oldName: plan.options.container, oldContainerID: plan.oldContainer.id,
                    oldContainerSpec: plan.oldContainerSpec, newContainer: plan.newContainer,
                    renameOldTo: plan.renameOldTo, consoleURL: plan.consoleURL, newConsoleURL: plan.newConsoleURL,
                    runsInit: true)
            ]
        }
        return targets.map { target in
            RunNode(
                ip: target.ip,
                engine: NodeEndpoint(ip: target.ip, endpoint: target.endpoint).makeEngine(logger: logger),
                oldName: target.oldContainer.name, oldContainerID: target.oldContainer.id,
                oldContainerSpec: target.oldContainerSpec, newContainer: target.newContainer,
                renameOldTo: target.renameOldTo, consoleURL: target.consoleURL, newConsoleURL: target.newConsoleURL,
                runsInit: target.runsInit)
        }
    }
}
