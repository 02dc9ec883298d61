import OMSDeployment

/// What `plan --node ...` was asked: the container on every node, the new image, the nodes.
public struct MultiNodePlanOptions: Codable, Sendable, Equatable {
    /// The OMS container's name, the same on every node.
    public var container: String
    /// The new image, which must be present on every node.
    public var image: String
    /// The new containers' name (default: from the image tag, as for one node).
    public var newName: String?
    /// The nodes and their Docker endpoints.
    public var nodes: [NodeEndpoint]
    public var fromVersion: String?
    public var toVersion: String?
    /// Where runs are kept (to name the holder of a lock).
    public var workDir: String

    public init(
        container: String, image: String, newName: String? = nil, nodes: [NodeEndpoint],
        fromVersion: String? = nil, toVersion: String? = nil, workDir: String = WorkDirectory.defaultPath
    ) {
        self.container = container
        self.image = image
        self.newName = newName
        self.nodes = nodes
        self.fromVersion = fromVersion
        self.toVersion = toVersion
        self.workDir = workDir
    }
}
