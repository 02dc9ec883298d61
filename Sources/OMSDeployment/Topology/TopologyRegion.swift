/// One region of a multi-node deployment, as its config.yaml describes it.
public struct TopologyRegion: Sendable, Codable, Equatable {
    /// `cm_location`, unique per region.
    public var location: Int
    /// `cm_region` (empty in a single-region deployment).
    public var region: String
    /// `cm_region_cn`.
    public var regionCN: String
    /// `cm_url`, the region's CM address (its VIP).
    public var cmURL: String
    /// `cm_is_default`.
    public var isDefault: Bool
    /// `cm_nodes`: the region's node IPs, in config.yaml's order.
    public var cmNodes: [String]
    /// `drc_cm_heartbeat_db`, the region's own heartbeat database.
    public var heartbeatDatabase: String

    public init(
        location: Int, region: String, regionCN: String, cmURL: String, isDefault: Bool,
        cmNodes: [String], heartbeatDatabase: String
    ) {
        self.location = location
        self.region = region
        self.regionCN = regionCN
        self.cmURL = cmURL
        self.isDefault = isDefault
        self.cmNodes = cmNodes
        self.heartbeatDatabase = heartbeatDatabase
    }

    /// The region as a config.yaml describes it.
    public init(config: OMSConfig) {
        self.init(
            location: config.cmLocation, region: config.cmRegion, regionCN: config.cmRegionCN,
            cmURL: config.cmURL, isDefault: config.cmIsDefault, cmNodes: config.cmNodes,
            heartbeatDatabase: config.databases.cmHeartbeat)
    }

    /// A short name for messages: `cm_location 1 (cn-shanghai)`.
    public var label: String {
        "cm_location \(location)" + (region.isEmpty ? "" : " (\(region))")
    }
}
