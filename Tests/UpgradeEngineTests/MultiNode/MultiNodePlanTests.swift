import Foundation
import OMSDeployment
import SandboxSupport
import Testing
import UpgradeEngine

/// `plan --node ...` on the multi-node test bed (scripts/nodes-up.sh): real namespaces, one dockerd
/// per node, the fixture OMS on each. Serialized: the suites share the bed's nodes.
@Suite("Multi-node plan on the test bed", .serialized, .nodeBed, .integration, .tags(.mariadb, .docker))
struct MultiNodePlanTests {
    static func decodePlan(_ stdout: String) throws -> MultiNodePlan {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(MultiNodePlan.self, from: Data(stdout.utf8))
    }

    static func plan(
        _ deployment: MultiNodeDeployment, image: String = Sandbox.fixtureImage("3.3.0"),
        nodes: [String]? = nil
    ) throws -> CLI.Result {
        try CLI.run(
            ["plan", "--container", deployment.containerName, "--image", image, "--json"]
                + (nodes ?? deployment.nodeArguments))
    }

    /// Everything a refused plan must leave as it was: the deployment's containers on every node, databases.
    static func state(_ deployment: MultiNodeDeployment) throws -> [String] {
        var lines: [String] = []
        for node in deployment.nodes {
            let containers = try Sandbox.runChecked(
                "docker",
                [
                    "-H", node.endpoint, "ps", "-a", "--no-trunc", "--format",
                    "{{.Names}} {{.ID}} {{.State}} {{.Image}}",
                ])
            // This deployment's containers only: other tests and benchmarks share the bed's engines.
            lines += containers.split(whereSeparator: \.isNewline).filter { $0.hasPrefix(deployment.containerName) }
                .map { "\(node.ip) \($0)" }.sorted()
        }
        let mysql = try Sandbox.mysql()
        let prefix = SandboxMySQL.quoteString(deployment.containerName + "%")
        lines += try mysql.rows(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE \(prefix)"
                + " ORDER BY 1"
        ).map { $0.joined() }
        lines += try mysql.rows(
            "SELECT code, cm_url, is_default_cm FROM cluster_info ORDER BY code",
            database: deployment.rmDatabase
        ).map { $0.joined(separator: " ") }
        lines += try mysql.rows(
            "SELECT cfg_value FROM oms_normal_config WHERE cfg_name = 'ha.config'",
            database: deployment.rmDatabase
        ).map { $0.joined() }
        return lines
    }

    /// The `init placement:` lines the fixture's init wrote in a node's logs.
    static func initPlacements(_ node: MultiNodeDeployment.Node) throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: node.logsDirectory.path)
            .filter { $0.hasPrefix("docker_init.log.") }
        return try files.flatMap { file in
            try String(contentsOf: node.logsDirectory.appendingPathComponent(file), encoding: .utf8)
                .split(whereSeparator: \.isNewline).filter { $0.contains("init placement:") }.map(String.init)
        }
    }

    @Test("two regions x one node: two regions, their heartbeat databases, init once per region")
    func twoRegionsOneNodeEach() throws {
        let bed = try NodeBed.require(nodes: 3)
        let deployment = try NodeBed.deploy(layout: "2x1")
        defer { try? deployment.remove() }
        #expect(deployment.initNodes == [bed[0].ip, bed[1].ip])
        // The fixture's init ran in each region, on that region's node, and said so in its log.
        let first = try Self.initPlacements(deployment.nodes[0])
        let second = try Self.initPlacements(deployment.nodes[1])
        #expect(first.map { $0.contains("OMS_HOST_IP=\(bed[0].ip) cm_location=0") } == [true])
        #expect(second.map { $0.contains("OMS_HOST_IP=\(bed[1].ip) cm_location=1") } == [true])
        let mysql = try Sandbox.mysql()
        for database in deployment.heartbeatDatabases {
            #expect(try mysql.scalar("SELECT COUNT(*) > 0 FROM heatbeat_sequence", database: database) == "1")
        }

        let result = try Self.plan(deployment)
        #expect(result.status == 0, "\(result)")
        let plan = try Self.decodePlan(result.stdout)
        let topology = try #require(plan.topology, "\(result)")
        #expect(topology.regions.map(\.location) == [0, 1])
        #expect(topology.regions.map(\.isDefault) == [true, false])
        #expect(topology.regions.map(\.heartbeatDatabase) == deployment.heartbeatDatabases)
        #expect(topology.regions.map(\.cmNodes) == [[bed[0].ip], [bed[1].ip]])
        #expect(topology.databases == deployment.databases)
        #expect(topology.initPlacement == .perRegion)
        #expect(topology.initNodes == [bed[0].ip, bed[1].ip])
        #expect(topology.nodes.map(\.runsInit) == [true, true])
        #expect(topology.nodes.map(\.location) == [0, 1])
        #expect(plan.metadata?.regions.map(\.code) == [0, 1])
        #expect(plan.metadata?.hosts == [bed[0].ip, bed[1].ip])
        #expect(plan.checks.filter { $0.name == "heartbeat-db" && $0.status == .pass }.count == 2)
        // `plan --node` checks the work directory as `apply --node` and a single node's plan do.
        #expect(plan.checks.filter { $0.name == "free-space" }.map(\.status) == [.pass])
        #expect(plan.isReady)
        // Every region's heartbeat rows count as pruned (deploy-nodes.sh seeds 1000 in each): the
        // estimate is about both regions' rows, well over what any one region holds.
        let perRegion = try deployment.heartbeatDatabases.map { database in
            Int64(try mysql.scalar("SELECT COUNT(*) FROM heatbeat_sequence", database: database) ?? "") ?? 0
        }
        let toPrune = try #require(plan.heartbeatRowsToPrune, "\(result)")
        #expect(Double(toPrune) > 1.5 * Double(perRegion.max() ?? 0), "\(toPrune) of \(perRegion)")
        // The outage is estimated per node and for the run, each part the slowest node's.
        let perNode = try #require(plan.nodeEstimates, "\(result)")
        #expect(perNode.map(\.ip) == [bed[0].ip, bed[1].ip])
        let run = try #require(plan.outageEstimate)
        #expect(run.items.map(\.part) == OutageEstimate.Part.allCases)
        #expect(run.seconds(.stop) == perNode.compactMap { $0.estimate.seconds(.stop) }.max())
        #expect(run.toolSeconds > 0)
    }

    @Test("one region x three nodes: one region, init on one node only, text shows what runs where")
    func oneRegionThreeNodes() throws {
        let bed = try NodeBed.require(nodes: 3)
        let deployment = try NodeBed.deploy(layout: "1x3")
        defer { try? deployment.remove() }

        #expect(try Self.initPlacements(deployment.nodes[0]).count == 1)
        #expect(try Self.initPlacements(deployment.nodes[1]).isEmpty)
        #expect(try Self.initPlacements(deployment.nodes[2]).isEmpty)
        // HA on: the plan says it is switched off before any node stops.
        try Sandbox.mysql().query(
            "UPDATE oms_normal_config SET cfg_value = '{\"enable\":true}' WHERE cfg_name = 'ha.config'",
            database: deployment.rmDatabase)

        let result = try Self.plan(deployment)
        #expect(result.status == 0, "\(result)")
        let plan = try Self.decodePlan(result.stdout)
        #expect(plan.haEnabled == true)
        #expect(plan.checks.first { $0.name == "ha" }?.detail.contains("switched off before any node stops") == true)
        let topology = try #require(plan.topology, "\(result)")
        #expect(topology.regions.count == 1)
        #expect(topology.regions.first?.cmNodes == bed.map(\.ip))
        #expect(topology.nodes.map(\.ip) == bed.map(\.ip))
        #expect(topology.initPlacement == .oneNode)
        #expect(topology.initNodes == [bed[0].ip])
        #expect(topology.nodes.map(\.runsInit) == [true, false, false])
        #expect(topology.databases == deployment.databases)
        #expect(plan.newContainerName == "oms_330")

        let text = try CLI.run(
            [
                "plan", "--container", deployment.containerName, "--image",
                Sandbox.fixtureImage("3.3.0"),
            ] + deployment.nodeArguments)
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains("node \(bed[0].ip) (\(bed[0].endpoint)): \(deployment.containerName)"))
        #expect(text.stdout.contains("[init]"))
        #expect(text.stdout.contains("Estimated outage (the nodes stop and start together"), "\(text)")
        #expect(text.stdout.contains("    \(bed[2].ip): stop "), "\(text)")
        #expect(
            text.stdout.contains(
                "\(bed[2].ip): stop \(deployment.containerName), start the new image with"
                    + " OMS_HOST_IP=\(bed[2].ip), wait for health"))
    }

    @Test("a node whose config.yaml is not visible on this host is read through its engine")
    func configReadThroughEngine() throws {
        _ = try NodeBed.require(nodes: 3)
        let deployment = try NodeBed.deploy(layout: "2x1")
        defer { try? deployment.remove() }
        // The host path goes away; the running container still has the file (its bind keeps the inode).
        let config = deployment.nodes[1].configPath
        let moved = config.appendingPathExtension("moved")
        try FileManager.default.moveItem(at: config, to: moved)
        defer { try? FileManager.default.moveItem(at: moved, to: config) }

        let result = try Self.plan(deployment)
        #expect(result.status == 0, "\(result)")
        let plan = try Self.decodePlan(result.stdout)
        #expect(plan.topology?.regions.map(\.heartbeatDatabase) == deployment.heartbeatDatabases)
        let password = try String(contentsOf: try Sandbox.mysql().passwordFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!result.stdout.contains(password) && !result.stderr.contains(password))
    }

    @Test("a node missing the new image is refused in preflight, naming the node, with no change anywhere")
    func nodeMissingImageRefused() throws {
        let bed = try NodeBed.require(nodes: 3)
        let deployment = try NodeBed.deploy(layout: "1x3")
        defer { try? deployment.remove() }
        // The new image under a tag of this test's own, on nodes 1 and 2 only.
        let image = "\(deployment.containerName)-img:3.3.0"
        for node in bed.prefix(2) { try NodeBed.docker(node, ["tag", Sandbox.fixtureImage("3.3.0"), image]) }
        defer { for node in bed.prefix(2) { _ = try? NodeBed.docker(node, ["rmi", image]) } }

        let before = try Self.state(deployment)
        let result = try Self.plan(deployment, image: image)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("Node \(bed[2].ip): the image \(image) is not present"), "\(result)")
        #expect(!result.stderr.contains("Node \(bed[0].ip): the image"), "\(result)")
        let plan = try Self.decodePlan(result.stdout)
        #expect(plan.failures.map(\.name) == ["image"])
        #expect(try Self.state(deployment) == before)
    }

    @Test("nodes whose config.yaml disagree are refused, naming the node")
    func inconsistentNodesRefused() throws {
        let bed = try NodeBed.require(nodes: 3)
        let deployment = try NodeBed.deploy(layout: "1x3")
        defer { try? deployment.remove() }
        // Node 3's config.yaml names other ports (its running container is not touched).
        let config = deployment.nodes[2].configPath
        let text = try String(contentsOf: config, encoding: .utf8)
        try text.replacingOccurrences(
            of: "nginx_server_port: \(deployment.port)",
            with: "nginx_server_port: \(deployment.port + 10)"
        )
        .write(to: config, atomically: false, encoding: .utf8)

        let before = try Self.state(deployment)
        let result = try Self.plan(deployment)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("The nodes disagree on the OMS ports"), "\(result)")
        #expect(result.stderr.contains("node \(bed[2].ip) has \(deployment.port + 10)/"), "\(result)")
        let plan = try Self.decodePlan(result.stdout)
        #expect(plan.topology == nil)
        #expect(try Self.state(deployment) == before)
    }

    @Test("a node left out of --node is refused: cm_nodes names it")
    func nodeLeftOutRefused() throws {
        let bed = try NodeBed.require(nodes: 3)
        let deployment = try NodeBed.deploy(layout: "1x3")
        defer { try? deployment.remove() }

        let result = try Self.plan(deployment, nodes: deployment.nodes.prefix(2).flatMap { ["--node", $0.argument] })
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("cm_nodes lists \(bed[2].ip), not given with --node"), "\(result)")
    }

    @Test("a node whose engine does not answer is refused, naming the node")
    func unreachableNodeRefused() throws {
        let bed = try NodeBed.require(nodes: 3)
        let deployment = try NodeBed.deploy(layout: "2x1")
        defer { try? deployment.remove() }
        let gone = "unix:///run/omsn/\(deployment.containerName)-absent.sock"

        let result = try Self.plan(
            deployment,
            nodes: [
                "--node", deployment.nodes[0].argument,
                "--node", "\(bed[1].ip)=\(gone)",
            ])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("Node \(bed[1].ip): the Docker engine at \(gone) does not answer"), "\(result)")
    }
}

/// The single-node command (no --node) on a node of a multi-node deployment.
extension MultiNodePlanTests {
    @Test("single-node plan on a multi-node deployment is refused: cm_nodes lists several hosts, or several regions")
    func singleNodePlanRefusesMultiNode() throws {
        let bed = try NodeBed.require(nodes: 3)
        let three = try NodeBed.deploy(layout: "1x3")
        defer { try? three.remove() }
        let one = try CLI.run([
            "plan", "--container", three.containerName, "--image", Sandbox.fixtureImage("3.3.0"),
            "-H", bed[0].endpoint,
        ])
        #expect(one.status == 1, "\(one)")
        #expect(one.stderr.contains("cm_nodes lists 3 hosts"), "\(one)")
        #expect(one.stderr.contains("--node IP=ENDPOINT for every node"), "\(one)")

        let two = try NodeBed.deploy(layout: "2x1")
        defer { try? two.remove() }
        let region = try CLI.run([
            "plan", "--container", two.containerName, "--image", Sandbox.fixtureImage("3.3.0"),
            "-H", bed[1].endpoint,
        ])
        #expect(region.status == 1, "\(region)")
        #expect(region.stderr.contains("cluster_info names 2 regions"), "\(region)")
    }
}

/// The fixture's multi-region contract, exercised by hand the way the multi-node guides do it.
extension MultiNodePlanTests {
    @Test("fixture, two regions: 3.3.0 init on each region's node, the second finds the schema migrated; both healthy")
    func fixtureTwoRegionUpgradeByHand() throws {
        let bed = try NodeBed.require(nodes: 3)
        let deployment = try NodeBed.deploy(layout: "2x1")
        defer { try? deployment.remove() }
        let newName = deployment.containerName + "_330"
        for (index, node) in deployment.nodes.enumerated() {
            let dir = node.configPath.deletingLastPathComponent().path
            try NodeBed.docker(bed[index], ["stop", "-t", "5", deployment.containerName])
            try NodeBed.docker(
                bed[index],
                [
                    "run", "-d", "--net", "host", "--name", newName, "-e", "OMS_HOST_IP=\(node.ip)",
                    "-v", "\(dir)/config.yaml:/home/admin/conf/config.yaml", "-v", "\(dir)/oms_logs:/home/admin/logs",
                    "-v", "\(dir)/oms_store:/home/ds/store", "-v", "\(dir)/oms_run:/home/ds/run",
                    Sandbox.fixtureImage("3.3.0"),
                ])
        }
        let first = try Sandbox.run("docker", ["-H", bed[0].endpoint, "exec", newName, "bash", "/root/docker_init.sh"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("metadata upgrade to 3.3.0-CE finished"))
        let second = try Sandbox.run(
            "docker", ["-H", bed[1].endpoint, "exec", newName, "bash", "/root/docker_init.sh"])
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("migrated by another region's init"))
        #expect(second.stdout.contains("init placement: OMS_HOST_IP=\(bed[1].ip) cm_location=1"))
        for node in deployment.nodes {
            let healthy = eventually(timeout: 60) {
                let url = "http://\(node.ip):\(deployment.port)/oms/health"
                let body = try? Sandbox.run("curl", ["-s", "--max-time", "2", url])
                return body?.stdout.contains("\"healthy\":true") ?? false
            }
            #expect(healthy, "node \(node.ip) is not healthy on 3.3.0")
        }
    }
}

/// `--node` arguments the command refuses before reading anything.
@Suite("Multi-node plan: bad --node arguments")
struct MultiNodeArgumentTests {
    @Test("--node without IP=ENDPOINT, or a node given twice, is a usage error naming the argument")
    func badNodeArguments() throws {
        let missing = try CLI.run(["plan", "--container", "c", "--image", "i:3.3.0", "--node", "unix:///x.sock"])
        #expect(missing.status == 64 || missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("--node unix:///x.sock: give it as IP=ENDPOINT"), "\(missing)")

        let twice = try CLI.run([
            "plan", "--container", "c", "--image", "i:3.3.0",
            "--node", "10.0.0.1=ctx", "--node", "10.0.0.1=other",
        ])
        #expect(twice.status == 64 || twice.status == 2, "\(twice)")
        #expect(twice.stderr.contains("the node 10.0.0.1 is given more than once"), "\(twice)")

        let hostIP = try CLI.run([
            "plan", "--container", "c", "--image", "i:3.3.0", "--host-ip", "10.0.0.1",
            "--node", "10.0.0.1=ctx",
        ])
        #expect(hostIP.status == 64 || hostIP.status == 2, "\(hostIP)")
        #expect(hostIP.stderr.contains("--host-ip does not go with --node"), "\(hostIP)")
    }
}
