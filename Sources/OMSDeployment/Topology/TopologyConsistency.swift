/// The cross-checks of a multi-node deployment's nodes with each other (see ``Topology/assemble(_:)``).
struct TopologyConsistency {
    var readings: [NodeReading]

    /// Every inconsistency found, each naming the node(s) it is about.
    func problems() -> [TopologyProblem] {
        guard !readings.isEmpty else { return [] }
        return sameEverywhere() + regionsAgree() + nodesMatchCMNodes() + portsDistinct()
    }

    /// A node's five service ports are five different ports (OBD checks the same).
    private func portsDistinct() -> [TopologyProblem] {
        readings.compactMap { reading in
            let p = reading.config.ports
            let all = [p.nginx, p.cm, p.ghana, p.supervisor, p.sshd]
            guard Set(all).count < all.count else { return nil }
            return TopologyProblem(
                check: "port-conflict", nodes: [reading.ip],
                detail: "Node \(reading.ip): config.yaml gives two services the same port"
                    + " (nginx/cm/ghana/supervisor/sshd = \(all.map(String.init).joined(separator: "/"))).",
                remedy: "Give nginx_server_port, cm_server_port, ghana_server_port, supervisor_server_port and"
                    + " sshd_server_port five different values in \(reading.deployment.configPath).")
        }
    }

    /// Groups the nodes by a value and, when they disagree, names the nodes that differ from the
    /// first node's value.
    private func disagreement<Value: Hashable>(
        _ check: String, _ what: String, remedy: String, _ value: (NodeReading) -> Value,
        show: (Value) -> String
    ) -> TopologyProblem? {
        guard let reference = readings.first else { return nil }
        let expected = value(reference)
        let differing = readings.filter { value($0) != expected }
        guard !differing.isEmpty else { return nil }
        let found = differing.map { "node \($0.ip) has \(show(value($0)))" }.joined(separator: "; ")
        return TopologyProblem(
            check: check, nodes: differing.map(\.ip),
            detail: "The nodes disagree on \(what): node \(reference.ip) has \(show(expected)); \(found).",
            remedy: remedy)
    }

    /// Container name, mounts' container paths, ports, metadata server and rm/cm names.
    private func sameEverywhere() -> [TopologyProblem] {
        let fixConfig =
            "Make every node's config.yaml agree (only the region keys and drc_cm_heartbeat_db differ"
            + " between regions), then run plan again."
        return [
            disagreement(
                "container-name", "the OMS container's name",
                remedy: "Run the OMS container under the same name on every node (docker rename).",
                { $0.deployment.container.name }, show: { $0 }),
            disagreement(
                "mounts", "the container paths of the mounts",
                remedy: "Mount config.yaml, logs, store and run (and the SSL pair, if any) at the same"
                    + " container paths on every node.",
                { Set($0.deployment.container.mounts.map(\.destination)) },
                show: { $0.sorted().joined(separator: ", ") }),
            disagreement(
                "ports", "the OMS ports (nginx/cm/ghana/supervisor/sshd)", remedy: fixConfig,
                { $0.config.ports }, show: { p in "\(p.nginx)/\(p.cm)/\(p.ghana)/\(p.supervisor)/\(p.sshd)" }),
            disagreement(
                "metadata-server", "the metadata server (oms_meta_host/port/user)", remedy: fixConfig,
                { $0.config.metaConnection().endpoint }, show: { $0 }),
            disagreement(
                "databases", "drc_rm_db and drc_cm_db", remedy: fixConfig,
                { [$0.config.databases.rm, $0.config.databases.cm] }, show: { $0.joined(separator: "/") }),
        ].compactMap { $0 }
    }

    /// Nodes of one cm_location carry one region's settings; regions differ in cm_location and
    /// heartbeat database; exactly one region is the default.
    private func regionsAgree() -> [TopologyProblem] {
        var problems: [TopologyProblem] = []
        var regions: [Int: (region: TopologyRegion, ip: String)] = [:]
        var order: [Int] = []
        for reading in readings {
            let region = TopologyRegion(config: reading.config)
            guard let seen = regions[region.location] else {
                regions[region.location] = (region, reading.ip)
                order.append(region.location)
                continue
            }
            if seen.region != region {
                problems.append(
                    TopologyProblem(
                        check: "region-config", nodes: [seen.ip, reading.ip],
                        detail: "Nodes \(seen.ip) and \(reading.ip) both say cm_location \(region.location) but their"
                            + " config.yaml differ in the region's keys (\(Self.differences(seen.region, region)))."
                            + " A cm_location must be unique per region.",
                        remedy:
                            "Give each region its own cm_location and the same config.yaml on every node of a region."))
            }
        }
        let all = order.compactMap { regions[$0] }
        var heartbeatOwners: [String: Int] = [:]
        for entry in all {
            if let other = heartbeatOwners[entry.region.heartbeatDatabase] {
                problems.append(
                    TopologyProblem(
                        check: "heartbeat-db", nodes: [entry.ip],
                        detail: "Regions cm_location \(other) and \(entry.region.location) share the heartbeat database"
                            + " \(entry.region.heartbeatDatabase) (node \(entry.ip)).",
                        remedy: "Each region needs its own drc_cm_heartbeat_db."))
            } else {
                heartbeatOwners[entry.region.heartbeatDatabase] = entry.region.location
            }
        }
        let defaults = all.filter { $0.region.isDefault }
        if defaults.count != 1 {
            let which =
                defaults.isEmpty
                ? "none of the regions has"
                : "regions \(defaults.map { String($0.region.location) }.joined(separator: ", ")) all have"
            problems.append(
                TopologyProblem(
                    check: "default-region", nodes: defaults.map(\.ip),
                    detail: "Exactly one region must have cm_is_default: true; \(which) it.",
                    remedy: "Set cm_is_default: true in one region's config.yaml and false in the others."))
        }
        return problems
    }

    /// Every node is in its own region's cm_nodes, its container's OMS_HOST_IP is its IP, and the
    /// union of cm_nodes is exactly the given nodes.
    private func nodesMatchCMNodes() -> [TopologyProblem] {
        var problems: [TopologyProblem] = []
        let given = Set(readings.map(\.ip))
        var union: Set<String> = []
        for reading in readings {
            union.formUnion(reading.config.cmNodes)
            if !reading.config.cmNodes.contains(reading.ip) {
                problems.append(
                    TopologyProblem(
                        check: "cm-nodes", nodes: [reading.ip],
                        detail: "Node \(reading.ip) is not in the cm_nodes of its own config.yaml"
                            + " (\(reading.config.cmNodes.joined(separator: ", "))).",
                        remedy: "Give the node's OMS_HOST_IP in --node IP=ENDPOINT, or fix cm_nodes in"
                            + " \(reading.deployment.configPath)."))
            }
            if let env = reading.deployment.container.envValue("OMS_HOST_IP"), !env.isEmpty, env != reading.ip {
                problems.append(
                    TopologyProblem(
                        check: "host-ip", nodes: [reading.ip],
                        detail: "Node \(reading.ip): its container \(reading.deployment.container.name) runs with"
                            + " OMS_HOST_IP=\(env).",
                        remedy: "Pass the node as --node \(env)=\(reading.node.endpoint) if that is its address."))
            }
        }
        let missing = union.subtracting(given).sorted()
        if !missing.isEmpty {
            problems.append(
                TopologyProblem(
                    check: "cm-nodes", nodes: missing,
                    detail:
                        "cm_nodes lists \(missing.joined(separator: ", ")), not given with --node: every OMS node must"
                        + " be upgraded in the same run.",
                    remedy: "Add --node IP=ENDPOINT for \(missing.joined(separator: ", "))."))
        }
        return problems
    }

    /// The region keys two configs differ in, for messages.
    static func differences(_ a: TopologyRegion, _ b: TopologyRegion) -> String {
        var keys: [String] = []
        if a.region != b.region { keys.append("cm_region") }
        if a.regionCN != b.regionCN { keys.append("cm_region_cn") }
        if a.cmURL != b.cmURL { keys.append("cm_url") }
        if a.isDefault != b.isDefault { keys.append("cm_is_default") }
        if a.cmNodes != b.cmNodes { keys.append("cm_nodes") }
        if a.heartbeatDatabase != b.heartbeatDatabase { keys.append("drc_cm_heartbeat_db") }
        return keys.joined(separator: ", ")
    }
}
