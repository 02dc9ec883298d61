/// The names of OMS's three metadata databases, as config.yaml gives them.
public struct MetaDatabases: Sendable, Codable, Hashable {
    /// `drc_rm_db`: projects, HA settings, regions.
    public var rm: String
    /// `drc_cm_db`: cluster management (resource groups, hosts, jobs).
    public var cm: String
    /// `drc_cm_heartbeat_db`: the CM heartbeat database (`heatbeat_sequence`).
    public var cmHeartbeat: String

    /// Creates the three names.
    public init(rm: String, cm: String, cmHeartbeat: String) {
        self.rm = rm
        self.cm = cm
        self.cmHeartbeat = cmHeartbeat
    }

    /// The three names in backup order: rm, cm, cm_hb.
    public var all: [String] { [rm, cm, cmHeartbeat] }
}
