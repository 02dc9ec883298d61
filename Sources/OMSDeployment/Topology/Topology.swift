/// A multi-node OMS deployment: its regions, its nodes, where init runs and what runs where.
///
/// Built from every node's reading by ``assemble(_:)``, which cross-checks the nodes with each
/// other; ``MetadataTopology`` then checks it against `rm.cluster_info` and `cm.host`.
public struct Topology: Sendable, Codable, Equatable {
    /// The OMS container's name (the same on every node).
    public var container: String
    /// `drc_rm_db` and `drc_cm_db` (the same on every node).
    public var rmDatabase: String
    public var cmDatabase: String
    /// The metadata server, `user@host:port` (never the password).
    public var metaEndpoint: String
    /// The regions, the default one first, then by cm_location.
    public var regions: [TopologyRegion]
    /// The nodes, in the order they were given.
    public var nodes: [TopologyNode]
    /// Where init runs and why.
    public var initPlacement: InitPlacement
    public var initNodes: [String]

    public init(
        container: String, rmDatabase: String, cmDatabase: String, metaEndpoint: String,
        regions: [TopologyRegion], nodes: [TopologyNode], initPlacement: InitPlacement, initNodes: [String]
    ) {
        self.container = container
        self.rmDatabase = rmDatabase
        self.cmDatabase = cmDatabase
        self.metaEndpoint = metaEndpoint
        self.regions = regions
        self.nodes = nodes
        self.initPlacement = initPlacement
        self.initNodes = initNodes
    }

    /// Every database the upgrade backs up: rm, cm, then each region's heartbeat database.
    public var databases: [String] { [rmDatabase, cmDatabase] + regions.map(\.heartbeatDatabase) }

    /// The nodes of the region with `location`.
    public func nodes(in location: Int) -> [TopologyNode] { nodes.filter { $0.location == location } }

    /// Cross-checks the nodes' readings and builds the topology, or lists every problem found.
    ///
    /// The nodes must agree on the container name, its mounts' container paths, the ports, the
    /// metadata server and the rm/cm database names; nodes of one region (one cm_location) must
    /// carry the same region settings; cm_location and the heartbeat database are unique per
    /// region; exactly one region is the default; every node lies in its own region's cm_nodes,
    /// and the union of cm_nodes is exactly the given nodes.
    public static func assemble(_ readings: [NodeReading]) -> Result<Topology, TopologyCheckFailure> {
        var problems = TopologyConsistency(readings: readings).problems()
        guard let first = readings.first else {
            problems.append(
                TopologyProblem(
                    check: "nodes", nodes: [], detail: "No node could be read.",
                    remedy: "Pass every OMS node with --node IP=ENDPOINT."))
            return .failure(TopologyCheckFailure(problems: problems))
        }
        guard problems.isEmpty else { return .failure(TopologyCheckFailure(problems: problems)) }

        var byLocation: [Int: TopologyRegion] = [:]
        for reading in readings where byLocation[reading.config.cmLocation] == nil {
            byLocation[reading.config.cmLocation] = TopologyRegion(config: reading.config)
        }
        let regions = byLocation.values.sorted {
            ($0.isDefault ? 0 : 1, $0.location) < ($1.isDefault ? 0 : 1, $1.location)
        }
        let placement = InitPlacement.rule(for: regions)
        let initNodes = InitPlacement.nodes(for: regions)
        let nodes = readings.map { reading -> TopologyNode in
            let container = reading.deployment.container
            let runsInit = initNodes.contains(reading.ip)
            var actions = ["stop \(container.name)", "start the new image with OMS_HOST_IP=\(reading.ip)"]
            if runsInit { actions.append("run docker_init.sh (\(placement.rawValue))") }
            actions.append("wait for health")
            return TopologyNode(
                ip: reading.ip, endpoint: reading.node.endpoint, container: container.name, containerID: container.id,
                image: container.image, running: container.state.running, configPath: reading.deployment.configPath,
                location: reading.config.cmLocation, runsInit: runsInit, actions: actions)
        }
        let config = first.config
        return .success(
            Topology(
                container: first.deployment.container.name, rmDatabase: config.databases.rm,
                cmDatabase: config.databases.cm,
                metaEndpoint: config.metaConnection().endpoint, regions: regions, nodes: nodes,
                initPlacement: placement, initNodes: initNodes))
    }
}

/// Why a multi-node deployment cannot be upgraded as found: every problem, each naming its node.
public struct TopologyCheckFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [TopologyProblem]

    public init(problems: [TopologyProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
