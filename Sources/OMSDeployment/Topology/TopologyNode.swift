/// One node of a multi-node deployment as found, and what the upgrade does there.
public struct TopologyNode: Sendable, Codable, Equatable {
    /// The node's IP (its OMS_HOST_IP).
    public var ip: String
    /// The Docker endpoint that reaches it.
    public var endpoint: String
    /// The OMS container's name, id and image.
    public var container: String
    public var containerID: String
    public var image: String
    public var running: Bool
    /// The host path of its config.yaml.
    public var configPath: String
    /// The `cm_location` of its region.
    public var location: Int
    /// Whether the metadata init (`docker_init.sh`) runs on this node.
    public var runsInit: Bool
    /// What the upgrade does on this node, in order.
    public var actions: [String]

    public init(
        ip: String, endpoint: String, container: String, containerID: String, image: String,
        running: Bool, configPath: String, location: Int, runsInit: Bool, actions: [String]
    ) {
        self.ip = ip
        self.endpoint = endpoint
        self.container = container
        self.containerID = containerID
        self.image = image
        self.running = running
        self.configPath = configPath
        self.location = location
        self.runsInit = runsInit
        self.actions = actions
    }
}
