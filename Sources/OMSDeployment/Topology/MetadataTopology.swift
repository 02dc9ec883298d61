import MetaDB

/// The topology as the metadata names it: `rm.cluster_info` (regions) and `cm.host` (node IPs).
public struct MetadataTopology: Sendable, Codable, Equatable {
    /// One row of `rm.cluster_info`.
    public struct Region: Sendable, Codable, Equatable {
        public var code: Int
        public var region: String
        public var cmURL: String
        public var isDefault: Bool

        public init(code: Int, region: String, cmURL: String, isDefault: Bool) {
            self.code = code
            self.region = region
            self.cmURL = cmURL
            self.isDefault = isDefault
        }
    }

    /// `rm.cluster_info`, by code.
    public var regions: [Region]
    /// `cm.host` IPs, sorted.
    public var hosts: [String]

    public init(regions: [Region], hosts: [String]) {
        self.regions = regions
        self.hosts = hosts
    }

    /// Reads `<rm>.cluster_info` and `<cm>.host`.
    public static func read(_ connection: AsyncConnection, rmDatabase: String, cmDatabase: String) async throws
        -> MetadataTopology
    {
        let clusters = try await connection.query(
            """
            SELECT code, region, cm_url, is_default_cm FROM \(SQL.qualified(rmDatabase, "cluster_info")) ORDER BY code
            """)
        let regions = clusters.rows.map { row in
            Region(
                code: Int(row[0].int64 ?? -1), region: row[1].string ?? "", cmURL: row[2].string ?? "",
                isDefault: (row[3].int64 ?? 0) != 0)
        }
        let hosts = try await connection.query("SELECT ip FROM \(SQL.qualified(cmDatabase, "host")) ORDER BY ip")
        return MetadataTopology(regions: regions, hosts: hosts.rows.compactMap { $0[0].string })
    }

    /// Where the metadata and the nodes' config.yaml disagree; empty when they agree.
    public func problems(against topology: Topology) -> [TopologyProblem] {
        var problems: [TopologyProblem] = []
        let rm = topology.rmDatabase
        let byCode = Dictionary(regions.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        for region in topology.regions {
            let nodes = topology.nodes(in: region.location).map(\.ip)
            guard let row = byCode[region.location] else {
                problems.append(
                    TopologyProblem(
                        check: "cluster-info", nodes: nodes,
                        detail: "\(rm).cluster_info has no row for region \(region.label) of nodes"
                            + " \(nodes.joined(separator: ", ")).",
                        remedy: "Check cm_location in those nodes' config.yaml against \(rm).cluster_info.code."))
                continue
            }
            if row.cmURL != region.cmURL || row.isDefault != region.isDefault {
                problems.append(
                    TopologyProblem(
                        check: "cluster-info", nodes: nodes,
                        detail: "\(rm).cluster_info says region \(region.label) has cm_url \(row.cmURL) and default"
                            + " \(row.isDefault); the config.yaml of nodes \(nodes.joined(separator: ", ")) says"
                            + " \(region.cmURL) and \(region.isDefault).",
                        remedy: "Make cm_url and cm_is_default in config.yaml match the metadata (or fix the metadata)."
                    ))
            }
        }
        let known = Set(topology.regions.map(\.location))
        let extra = regions.filter { !known.contains($0.code) }
        if !extra.isEmpty {
            problems.append(
                TopologyProblem(
                    check: "cluster-info", nodes: [],
                    detail: "\(rm).cluster_info lists region(s) \(extra.map { "\($0.code)" }.joined(separator: ", "))"
                        + " that no given node belongs to.",
                    remedy: "Pass the nodes of every region with --node IP=ENDPOINT."))
        }
        let given = Set(topology.nodes.map(\.ip))
        let unknownHosts = hosts.filter { !given.contains($0) }
        if !unknownHosts.isEmpty {
            problems.append(
                TopologyProblem(
                    check: "cm-host", nodes: unknownHosts,
                    detail: "\(topology.cmDatabase).host lists \(unknownHosts.joined(separator: ", ")),"
                        + " not given with --node.",
                    remedy: "Add --node IP=ENDPOINT for every OMS node (all nodes are upgraded in one run)."))
        }
        let missingHosts = given.subtracting(hosts).sorted()
        if !missingHosts.isEmpty {
            problems.append(
                TopologyProblem(
                    check: "cm-host", nodes: missingHosts,
                    detail: "Node(s) \(missingHosts.joined(separator: ", ")) are not in \(topology.cmDatabase).host.",
                    remedy: "Check that these are OMS nodes of this deployment (their IP as OMS knows it)."))
        }
        return problems
    }
}
