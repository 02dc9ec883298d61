import Containers

/// One node of a multi-node upgrade as planned: the engine that reaches it, its old container, and
/// the new container that replaces it there.
///
/// Stored in `plan.json`, so that `resume` and `rollback` reach every node without `--node` again.
public struct NodeTarget: Codable, Sendable, Equatable {
    /// The node's IP (its OMS_HOST_IP).
    public var ip: String
    /// The Docker endpoint that reaches its engine (`unix://`, `ssh://`, `tcp://` or a context name).
    public var endpoint: String
    /// The node's region (`cm_location`).
    public var location: Int
    /// The old container as found on the node.
    public var oldContainer: UpgradePlan.OldContainer
    /// The old container's settings, to recreate it by hand if it is ever deleted.
    public var oldContainerSpec: ContainerRunSpec
    /// The new container, with this node's own OMS_HOST_IP.
    public var newContainer: ContainerRunSpec
    /// The name the old container is renamed to when the new one takes its name.
    public var renameOldTo: String?
    /// The old and the new console's URLs on this node.
    public var consoleURL: String
    public var newConsoleURL: String
    /// Whether the metadata init runs on this node.
    public var runsInit: Bool

    public init(
        ip: String, endpoint: String, location: Int, oldContainer: UpgradePlan.OldContainer,
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
}
