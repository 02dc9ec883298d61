import Foundation

/// The multi-node test bed of `scripts/nodes-up.sh`: network namespaces `omsn1...` on the bridge
/// `omsn0` (10.213.0.0/24), one dockerd per node, the fixture images loaded into each, and the
/// metadata MariaDB reachable from the nodes at 10.213.0.1:3306 (the OceanBase kernel at 10.213.0.1:2881).
///
/// ``require(nodes:)`` brings the bed up when it is missing (the script is idempotent); when it
/// cannot, it throws saying which script to run. Suites using the bed must be `.serialized`.
public enum NodeBed {
    /// One node of the bed.
    public struct Node: Sendable, Equatable {
        public var name: String
        public var ip: String
        /// `unix:///run/omsn/<name>.sock`.
        public var endpoint: String
    }

    /// Makes sure the bed has at least `count` nodes with the current fixture images, and returns them.
    public static func require(nodes count: Int) throws -> [Node] {
        try Sandbox.requireFixtureImages()
        let script = Sandbox.scriptsDirectory.appendingPathComponent("nodes-up.sh").path
        let result = try Sandbox.run(script, [String(count)])
        guard result.status == 0 else {
            throw SandboxError(
                "the multi-node test bed is not up and `scripts/nodes-up.sh \(count)` failed"
                    + " (run it as root, with OMS_FIXTURE_REPO=\(Sandbox.fixtureRepository)): "
                    + result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let env = parse(result.stdout)
        return try (1...count).map { index in
            guard let name = env["OMS_NODE_\(index)_NAME"], let ip = env["OMS_NODE_\(index)_IP"],
                let endpoint = env["OMS_NODE_\(index)_ENDPOINT"]
            else { throw SandboxError("scripts/nodes-up.sh printed no node \(index): \(result.stdout)") }
            return Node(name: name, ip: ip, endpoint: endpoint)
        }
    }

    /// Stops a node's dockerd (SIGTERM, as a host going down would; its containers stop with it)
    /// and waits until it is gone. ``require(nodes:)`` starts it again.
    public static func stopEngine(_ node: Node) throws {
        let pidFile = "/run/omsn/\(node.name).pid"
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw SandboxError("no dockerd pid file for \(node.name) at \(pidFile)") }
        kill(pid, SIGTERM)
        for _ in 0..<600 where kill(pid, 0) == 0 { usleep(100_000) }
        guard kill(pid, 0) != 0 else { throw SandboxError("the dockerd of \(node.name) (pid \(pid)) did not stop") }
    }

    /// Runs `docker -H <node> <args>` and returns its stdout; throws unless it exits 0.
    @discardableResult
    public static func docker(_ node: Node, _ args: [String]) throws -> String {
        try Sandbox.runChecked("docker", ["-H", node.endpoint] + args)
    }

    /// Deploys a multi-node OMS 3.2.2 fixture with `scripts/deploy-nodes.sh --layout <layout>`
    /// (e.g. `2x1`, `1x3`) under unique names: container, databases, directory, port; its metadata on `server`.
    public static func deploy(
        layout: String, prefix: String = "omsn", server: MetadataServer = .mariadb
    ) throws -> MultiNodeDeployment {
        let name = Sandbox.uniqueName(prefix)
        let port = Sandbox.freePort()
        let script = Sandbox.scriptsDirectory.appendingPathComponent("deploy-nodes.sh").path
        let result = try Sandbox.run(
            script,
            [
                "--layout", layout, "--name", name, "--db-prefix", name + "_", "--port", String(port),
                "--dir", "/var/lib/oms-nodes/\(name)", "--image", Sandbox.fixtureImage("3.2.2"),
                "--meta-server", server.rawValue,
            ])
        let values = parse(result.stdout)
        guard result.status == 0, let count = values["nodes"].flatMap(Int.init),
            let regions = values["regions"].flatMap(Int.init)
        else {
            throw SandboxError(
                "scripts/deploy-nodes.sh --layout \(layout) failed (status \(result.status)): "
                    + result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let nodes = (1...count).map { index in
            MultiNodeDeployment.Node(
                ip: values["node_\(index)_ip"] ?? "", endpoint: values["node_\(index)_endpoint"] ?? "",
                configPath: URL(fileURLWithPath: values["node_\(index)_config"] ?? ""),
                region: Int(values["node_\(index)_region"] ?? "") ?? -1)
        }
        return MultiNodeDeployment(
            containerName: name, directory: URL(fileURLWithPath: values["dir"] ?? ""), port: port,
            rmDatabase: values["rm_db"] ?? "", cmDatabase: values["cm_db"] ?? "",
            heartbeatDatabases: (0..<regions).map { values["region_\($0)_cm_hb_db"] ?? "" },
            nodes: nodes, initNodes: (values["init_nodes"] ?? "").split(separator: ",").map(String.init),
            server: server)
    }

    static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let eq = line.firstIndex(of: "=") else { continue }
            values[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return values
    }
}

/// A multi-node OMS fixture deployment made by `scripts/deploy-nodes.sh` on the test bed.
public struct MultiNodeDeployment: Sendable {
    /// One node: its address, engine, config.yaml and region (cm_location).
    public struct Node: Sendable, Equatable {
        public var ip: String
        public var endpoint: String
        public var configPath: URL
        public var region: Int

        /// The `--node` argument for this node.
        public var argument: String { "\(ip)=\(endpoint)" }
        /// Host side of the node's /home/admin/logs.
        public var logsDirectory: URL { configPath.deletingLastPathComponent().appendingPathComponent("oms_logs") }
    }

    public var containerName: String
    public var directory: URL
    public var port: Int
    public var rmDatabase: String
    public var cmDatabase: String
    /// Each region's heartbeat database, by cm_location.
    public var heartbeatDatabases: [String]
    public var nodes: [Node]
    /// The IPs deploy-nodes.sh ran docker_init.sh on.
    public var initNodes: [String]
    /// The metadata server holding its databases.
    public var server: MetadataServer = .mariadb

    /// rm, cm and every region's heartbeat database.
    public var databases: [String] { [rmDatabase, cmDatabase] + heartbeatDatabases }

    /// The new containers' name in upgrade tests: this deployment's own, so ``remove()`` finds them.
    public var newContainerName: String { containerName + "_new" }

    /// `--node IP=ENDPOINT` for every node.
    public var nodeArguments: [String] { nodes.flatMap { ["--node", $0.argument] } }

    /// Removes the containers (every container on the nodes whose name starts with this
    /// deployment's name), the databases and the directory.
    public func remove() throws {
        var problems: [String] = []
        for node in nodes {
            let names =
                (try? Sandbox.runChecked("docker", ["-H", node.endpoint, "ps", "-a", "--format", "{{.Names}}"]))
                ?? ""
            for name in names.split(whereSeparator: \.isNewline) where name.hasPrefix(containerName) {
                let result = try Sandbox.run("docker", ["-H", node.endpoint, "rm", "-f", String(name)])
                if result.status != 0 { problems.append("docker rm \(name) on \(node.ip): \(result.stderr)") }
            }
        }
        try Sandbox.mysql(server).dropDatabases(databases)
        if FileManager.default.fileExists(atPath: directory.path) {
            try FileManager.default.removeItem(at: directory)
        }
        if !problems.isEmpty { throw SandboxError(problems.joined(separator: "; ")) }
    }
}
