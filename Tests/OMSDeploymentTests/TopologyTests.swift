import Containers
import Logging
import MetaDB
import Testing

@testable import OMSDeployment

/// Pure topology logic: `--node` parsing, the init placement rule and the cross-checks of
/// ``Topology/assemble(_:)`` on hand-built node readings.
@Suite("Topology")
struct TopologyTests {
    /// A node reading as a node's `docker inspect` and config.yaml would give it.
    static func reading(
        ip: String, location: Int, cmNodes: [String], heartbeat: String, isDefault: Bool,
        nginx: Int = 8089, cm: String = "oms_cm", name: String = "oms_322",
        mounts: [String] = [
            "/home/admin/conf/config.yaml", "/home/admin/logs", "/home/ds/store",
            "/home/ds/run",
        ]
    ) -> NodeReading {
        let details = ContainerDetails(
            id: "id-\(ip)", name: name, image: "oms:feature_3.2.2_ce",
            mounts: mounts.map { Mount(source: "/data/\(ip)\($0)", destination: $0) },
            env: [EnvVar(name: "OMS_HOST_IP", value: ip)])
        let config = OMSConfig(
            path: "/data/\(ip)/config.yaml", metaHost: "10.0.0.5", metaPort: 2881, metaUser: "root@oms",
            metaPassword: Secret("pw"), databases: MetaDatabases(rm: "oms_rm", cm: cm, cmHeartbeat: heartbeat),
            cmURL: "http://\(cmNodes[0]):8088", cmLocation: location, cmRegion: "r\(location)",
            cmIsDefault: isDefault, cmNodes: cmNodes, ports: OMSPorts(nginx: nginx))
        let deployment = Deployment(
            container: details, configPath: config.path, configMount: details.mounts[0],
            dataMounts: Array(details.mounts.dropFirst()), sslMounts: nil, config: config, version: nil)
        return NodeReading(node: NodeEndpoint(ip: ip, endpoint: "ssh://root@\(ip)"), deployment: deployment)
    }

    static let three = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]

    static func oneRegionThreeNodes() -> [NodeReading] {
        three.map { reading(ip: $0, location: 0, cmNodes: three, heartbeat: "hb_0", isDefault: true) }
    }

    static func twoRegions() -> [NodeReading] {
        [
            reading(ip: "10.0.0.1", location: 0, cmNodes: ["10.0.0.1"], heartbeat: "hb_0", isDefault: true),
            reading(ip: "10.0.0.2", location: 1, cmNodes: ["10.0.0.2"], heartbeat: "hb_1", isDefault: false),
        ]
    }

    static func problems(_ readings: [NodeReading]) -> [TopologyProblem] {
        if case .failure(let failure) = Topology.assemble(readings) { return failure.problems }
        return []
    }

    @Test("--node IP=ENDPOINT: daemon addresses and context names; bad forms are refused with the remedy")
    func nodeEndpointParsing() throws {
        let ssh = try NodeEndpoint(parsing: "10.0.0.2=ssh://root@10.0.0.2")
        #expect(ssh.ip == "10.0.0.2" && ssh.endpoint == "ssh://root@10.0.0.2" && ssh.isDaemonAddress)
        let engine = ssh.makeEngine(logger: .init(label: "t"))
        #expect(engine.host == "ssh://root@10.0.0.2" && engine.context == nil)
        let context = try NodeEndpoint(parsing: "fd00::2=node-b")
        #expect(!context.isDaemonAddress && context.makeEngine(logger: .init(label: "t")).context == "node-b")
        #expect(throws: NodeEndpointError(argument: "unix:///x", problem: .missingEquals)) {
            try NodeEndpoint(parsing: "unix:///x")
        }
        #expect(throws: NodeEndpointError(argument: "node1=unix:///x", problem: .notAnAddress("node1"))) {
            try NodeEndpoint(parsing: "node1=unix:///x")
        }
        #expect(throws: NodeEndpointError(argument: "10.0.0.1=", problem: .emptyEndpoint)) {
            try NodeEndpoint(parsing: "10.0.0.1=")
        }
        #expect(throws: NodeEndpointError(argument: "10.0.0.256=ctx", problem: .notAnAddress("10.0.0.256"))) {
            try NodeEndpoint(parsing: "10.0.0.256=ctx")
        }
    }

    @Test("init placement: one node when every region lists the same cm_nodes, else one per region")
    func initPlacementRule() throws {
        let one = try Topology.assemble(Self.oneRegionThreeNodes()).get()
        #expect(one.initPlacement == .oneNode)
        #expect(one.initNodes == ["10.0.0.1"])
        #expect(one.nodes.map(\.runsInit) == [true, false, false])

        let two = try Topology.assemble(Self.twoRegions()).get()
        #expect(two.initPlacement == .perRegion)
        #expect(two.initNodes == ["10.0.0.1", "10.0.0.2"])
        #expect(two.databases == ["oms_rm", "oms_cm", "hb_0", "hb_1"])

        let same = [
            TopologyRegion(
                location: 0, region: "a", regionCN: "", cmURL: "", isDefault: true,
                cmNodes: ["10.0.0.1", "10.0.0.2"], heartbeatDatabase: "hb_0"),
            TopologyRegion(
                location: 1, region: "b", regionCN: "", cmURL: "", isDefault: false,
                cmNodes: ["10.0.0.2", "10.0.0.1"], heartbeatDatabase: "hb_1"),
        ]
        #expect(InitPlacement.rule(for: same) == .oneNode)
        #expect(InitPlacement.nodes(for: same) == ["10.0.0.1"])
    }

    @Test("nodes that disagree on ports, rm/cm names, mounts or the container name are named")
    func disagreementsNameTheNode() {
        var readings = Self.oneRegionThreeNodes()
        readings[2] = Self.reading(
            ip: "10.0.0.3", location: 0, cmNodes: Self.three, heartbeat: "hb_0",
            isDefault: true, nginx: 9999, cm: "other_cm", name: "oms_other",
            mounts: [
                "/home/admin/conf/config.yaml", "/home/admin/logs", "/home/ds/store",
                "/home/ds/run", "/extra",
            ])
        let problems = Self.problems(readings)
        #expect(Set(problems.map(\.check)) == ["container-name", "mounts", "ports", "databases"])
        #expect(problems.allSatisfy { $0.nodes == ["10.0.0.3"] })
        #expect(problems.first { $0.check == "ports" }?.detail.contains("node 10.0.0.3 has 9999/") == true)

        // One node whose console port collides with its cm port.
        let clashing = Self.oneRegionThreeNodes().map { reading -> NodeReading in
            var reading = reading
            reading.deployment.config.ports = OMSPorts(nginx: 8088)
            return reading
        }
        let clash = Self.problems(clashing)
        #expect(clash.map(\.check) == ["port-conflict", "port-conflict", "port-conflict"])
        #expect(clash.map(\.nodes) == [["10.0.0.1"], ["10.0.0.2"], ["10.0.0.3"]])
    }

    @Test("regions: cm_location unique, own heartbeat database, exactly one default; cm_nodes union = nodes")
    func regionRules() {
        // Two regions claiming the same cm_location with different cm_nodes.
        var readings = Self.twoRegions()
        readings[1] = Self.reading(
            ip: "10.0.0.2", location: 0, cmNodes: ["10.0.0.2"], heartbeat: "hb_1",
            isDefault: false)
        #expect(Self.problems(readings).map(\.check).contains("region-config"))

        // Shared heartbeat database, two defaults.
        readings = Self.twoRegions()
        readings[1] = Self.reading(
            ip: "10.0.0.2", location: 1, cmNodes: ["10.0.0.2"], heartbeat: "hb_0",
            isDefault: true)
        #expect(Set(Self.problems(readings).map(\.check)) == ["heartbeat-db", "default-region"])

        // A node of cm_nodes left out.
        let partial = Array(Self.oneRegionThreeNodes().prefix(2))
        let missing = Self.problems(partial)
        #expect(missing.map(\.check) == ["cm-nodes"])
        #expect(missing.first?.nodes == ["10.0.0.3"])
    }

    @Test("rm.cluster_info and cm.host are checked against the nodes")
    func metadataCrossCheck() throws {
        let topology = try Topology.assemble(Self.twoRegions()).get()
        let agreeing = MetadataTopology(
            regions: [
                .init(code: 0, region: "r0", cmURL: "http://10.0.0.1:8088", isDefault: true),
                .init(code: 1, region: "r1", cmURL: "http://10.0.0.2:8088", isDefault: false),
            ],
            hosts: ["10.0.0.1", "10.0.0.2"])
        #expect(agreeing.problems(against: topology).isEmpty)

        let disagreeing = MetadataTopology(
            regions: [
                .init(code: 0, region: "r0", cmURL: "http://10.0.0.1:8088", isDefault: true),
                .init(code: 2, region: "r2", cmURL: "http://10.0.0.9:8088", isDefault: false),
            ],
            hosts: ["10.0.0.1", "10.0.0.2", "10.0.0.9"])
        let problems = disagreeing.problems(against: topology)
        #expect(problems.map(\.check) == ["cluster-info", "cluster-info", "cm-host"])
        #expect(problems[0].nodes == ["10.0.0.2"])
        #expect(problems[2].nodes == ["10.0.0.9"])
    }
}
