/// The names of OMS's metadata databases, as config.yaml gives them.
///
/// One node's config.yaml names three; a multi-region deployment has one heartbeat database per
/// region, so its upgrade also carries the other regions' heartbeat databases.
public struct MetaDatabases: Sendable, Codable, Hashable {
    /// `drc_rm_db`: projects, HA settings, regions.
    public var rm: String
    /// `drc_cm_db`: cluster management (resource groups, hosts, jobs).
    public var cm: String
    /// `drc_cm_heartbeat_db`: the CM heartbeat database (`heatbeat_sequence`); in a multi-region
    /// deployment, the default region's.
    public var cmHeartbeat: String
    /// The other regions' heartbeat databases (empty for a single region).
    public var otherHeartbeats: [String]

    /// Creates the names.
    public init(rm: String, cm: String, cmHeartbeat: String, otherHeartbeats: [String] = []) {
        self.rm = rm
        self.cm = cm
        self.cmHeartbeat = cmHeartbeat
        self.otherHeartbeats = otherHeartbeats
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rm = try container.decode(String.self, forKey: .rm)
        cm = try container.decode(String.self, forKey: .cm)
        cmHeartbeat = try container.decode(String.self, forKey: .cmHeartbeat)
        // Plans written before multi-region support have no such key.
        otherHeartbeats = try container.decodeIfPresent([String].self, forKey: .otherHeartbeats) ?? []
    }

    /// Every heartbeat database: the default region's first.
    public var heartbeats: [String] { [cmHeartbeat] + otherHeartbeats }

    /// Every name in backup order: rm, cm, then the heartbeat databases.
    public var all: [String] { [rm, cm] + heartbeats }
}
