/// What was read from one node: its OMS container as inspected and its config.yaml.
public struct NodeReading: Sendable {
    /// The node as given on the command line.
    public var node: NodeEndpoint
    /// The node's OMS container, mounts and config.yaml.
    public var deployment: Deployment

    public init(node: NodeEndpoint, deployment: Deployment) {
        self.node = node
        self.deployment = deployment
    }

    /// The node's IP.
    public var ip: String { node.ip }
    /// The node's config.yaml.
    public var config: OMSConfig { deployment.config }
}
