import Containers
import OMSDeployment

/// One OMS node of a plan: how it is reached, its old container, and the new container that
/// replaces it there.
///
/// Every plan holds a non-empty list of them (``UpgradePlan/nodes``): a deployment planned without
/// `--node` is a list of one node, reached through the engine the command was given and named by
/// no IP (its journal facts keep their plain keys); `apply --node` plans one per node, each with
/// its IP and Docker endpoint (their facts are journaled as `<fact>@<ip>`). Stored in `plan.json`,
/// so that `resume` and `rollback` reach every node without `--node` again.
public struct NodeTarget: Codable, Sendable, Equatable {
    /// The node's IP (its OMS_HOST_IP) as `--node` named it; nil for the one node of a deployment
    /// planned without `--node`.
    public var ip: String?
    /// The Docker endpoint that reaches its engine (`unix://`, `ssh://`, `tcp://` or a context
    /// name); nil when the node is reached through the engine the command was given.
    public var endpoint: String?
    /// The node's region (`cm_location`); nil in one-node plans written before plans held a node list.
    public var location: Int?
    /// The old container as found on the node.
    public var oldContainer: UpgradePlan.OldContainer
    /// The old container's settings, to recreate it by hand if it is ever deleted.
    public var oldContainerSpec: ContainerRunSpec
    /// The new container, with this node's own OMS_HOST_IP.
    public var newContainer: ContainerRunSpec
    /// The name the old container is renamed to when the new one takes its name; nil when the
    /// new container has a name of its own.
    public var renameOldTo: String?
    /// The old console's URL on this node.
    public var consoleURL: String
    /// The new console's URL on this node (HTTPS when the new container mounts an SSL pair).
    public var newConsoleURL: String
    /// Whether the metadata init runs on this node.
    public var runsInit: Bool

    public init(
        ip: String?, endpoint: String?, location: Int?, oldContainer: UpgradePlan.OldContainer,
        oldContainerSpec: ContainerRunSpec, newContainer: ContainerRunSpec, renameOldTo: String?,
        consoleURL: String, newConsoleURL: String, runsInit: Bool
    ) {
        self.ip = ip
        self.endpoint = endpoint
        self.location = location
        self.oldContainer = oldContainer
        self.oldContainerSpec = oldContainerSpec
        self.newContainer = newContainer
        self.renameOldTo = renameOldTo
        self.consoleURL = consoleURL
        self.newConsoleURL = newConsoleURL
        self.runsInit = runsInit
    }

    /// The one node of a deployment planned without `--node`: reached through the command's
    /// engine, named by no IP, and the node where the init runs.
    public init(
        location: Int? = nil, oldContainer: UpgradePlan.OldContainer, oldContainerSpec: ContainerRunSpec,
        newContainer: ContainerRunSpec, renameOldTo: String? = nil, consoleURL: String, newConsoleURL: String
    ) {
        self.init(
            ip: nil, endpoint: nil, location: location, oldContainer: oldContainer,
            oldContainerSpec: oldContainerSpec, newContainer: newContainer, renameOldTo: renameOldTo,
            consoleURL: consoleURL, newConsoleURL: newConsoleURL, runsInit: true)
    }

    /// How to reach the node's own engine; nil when it is reached through the command's engine.
    public var address: NodeEndpoint? {
        guard let ip, let endpoint else { return nil }
        return NodeEndpoint(ip: ip, endpoint: endpoint)
    }
}
