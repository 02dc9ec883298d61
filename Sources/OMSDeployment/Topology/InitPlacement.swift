/// Where the metadata init (`docker_init.sh`) runs in a multi-node deployment.
///
/// The field rule (vendor multi-node guides, unconfirmed notes in DESIGN.md): when every region
/// lists the same `cm_nodes`, init runs once, on one node; otherwise it runs once per region.
/// The node chosen is the first of `cm_nodes` (in config.yaml's order) of the default region,
/// or of each region.
public enum InitPlacement: String, Sendable, Codable, Equatable {
    /// Once, on one node.
    case oneNode = "one-node"
    /// Once in every region.
    case perRegion = "per-region"

    /// The rule for these regions.
    public static func rule(for regions: [TopologyRegion]) -> InitPlacement {
        let sets = Set(regions.map { Set($0.cmNodes) })
        return sets.count <= 1 ? .oneNode : .perRegion
    }

    /// The IPs init runs on, in order (the default region first).
    public static func nodes(for regions: [TopologyRegion]) -> [String] {
        let ordered = regions.sorted { ($0.isDefault ? 0 : 1, $0.location) < ($1.isDefault ? 0 : 1, $1.location) }
        switch rule(for: regions) {
        case .oneNode: return ordered.first?.cmNodes.first.map { [$0] } ?? []
        case .perRegion: return ordered.compactMap { $0.cmNodes.first }
        }
    }

    /// The rule in words.
    public var explanation: String {
        switch self {
        case .oneNode: return "every region lists the same cm_nodes: init runs once, on one node"
        case .perRegion: return "the regions list different cm_nodes: init runs once per region"
        }
    }
}
