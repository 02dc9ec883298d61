import Foundation
import MetaDB
import OMSDeployment

extension DeploymentChecks {
    /// The checks on the metadata server named by `config` (read from `configPath`): its databases,
    /// heartbeat (and the rows pruning it deletes), privileges, HA, sizes, the server's limits and
    /// the deployment's lock; several nodes' also every region's heartbeat and the topology the
    /// metadata records.
    mutating func checkMetadata(
        _ checks: inout [PreflightCheck], config: OMSConfig, configPath: String, workDir: String
    ) async {
        var options = config.metaConnection(connectTimeout: 5)
        if case .oneNode = shape { options.database = nil }
        let connection: AsyncConnection
        do {
            connection = try await AsyncConnection(options: options)
        } catch {
            let remedy =
                switch shape {
                case .oneNode:
                    "Check that the metadata database is up and that oms_meta_* in \(configPath) are right."
                case .nodes:
                    "Check that the metadata database is up and that oms_meta_* in the nodes' config.yaml are right."
                }
            checks.append(.fail("metadata-db", "\(error)", remedy: remedy))
            return
        }
        switch shape {
        case .oneNode:
            await inspectOneNode(&checks, config: config, connection: connection, workDir: workDir)
        case .nodes(let topology):
            do {
                try await inspectNodes(&checks, topology: topology, connection: connection, workDir: workDir)
            } catch {
                checks.append(.fail("metadata-db", "\(error)", remedy: "Check the metadata user's privileges."))
            }
        }
        await connection.close()
    }

    /// A single node's checks on the open connection; each failure carries its own check's remedy.
    private mutating func inspectOneNode(
        _ checks: inout [PreflightCheck], config: OMSConfig, connection: AsyncConnection, workDir: String
    ) async {
        let databases = config.databases
        // The check under way, so that a statement error is reported against it, with its remedy.
        var current = (check: "databases", remedy: "Check that the metadata user may read information_schema.")
        checks.append(
            .pass(
                "metadata-db",
                "Connected to the metadata database as \(config.metaConnection().endpoint) (\(connection.serverVersion))."
            ))
        do {
            let existing = try await MetadataInspector.existingDatabases(connection, among: databases.all)
            let missing = databases.all.filter { !existing.contains($0) }
            guard missing.isEmpty else {
                checks.append(
                    .fail(
                        "databases",
                        "The metadata database(s) \(missing.joined(separator: ", ")) named in config.yaml do not exist.",
                        remedy: "Fix drc_*_db in config.yaml or check that OMS was initialised."))
                return
            }
            checks.append(.pass("databases", "The databases \(databases.all.joined(separator: ", ")) exist."))
            if let multiRegion = try await Planner.multiRegionCheck(connection, rmDatabase: databases.rm) {
                checks.append(multiRegion)
            }
            current = ("heartbeat", "Check drc_cm_heartbeat_db in config.yaml and that the metadata user may read it.")
            if let tooLong = Self.databaseNamesCheck(databases.all) { checks.append(tooLong) }
            if try await MetadataInspector.tableExists(
                connection, database: databases.cmHeartbeat, table: "heatbeat_sequence")
            {
                let heartbeat = try await MetadataInspector.heartbeatStatus(connection, database: databases.cmHeartbeat)
                heartbeatRowsToPrune = max(0, heartbeat.rows - 1)
                checks.append(
                    .pass(
                        "heartbeat",
                        "\(databases.cmHeartbeat).heatbeat_sequence has about \(heartbeat.rows) rows to prune to one."))
            } else {
                checks.append(
                    .fail(
                        "heartbeat", "\(databases.cmHeartbeat).heatbeat_sequence does not exist.",
                        remedy: "Check drc_cm_heartbeat_db in config.yaml."))
            }
            current = ("privileges", "Check that the metadata user may read its own grants (SHOW GRANTS).")
            checks.append(try await MetadataChecks.privileges(connection, user: config.metaUser))
            current = ("ha", "Check that the metadata user may read \(databases.rm).oms_normal_config.")
            try await checkHighAvailability(
                &checks, connection, rmDatabase: databases.rm,
                whenOn: "it is switched off during the upgrade and back on after.")
            current = ("sizes", "Check that the metadata user may read information_schema.TABLES.")
            sizes = try await MetadataInspector.sizes(connection, databases: databases.all)
            current = ("change-capture", "Check that the metadata user may read information_schema.COLUMNS.")
            checks += try await ServerLimits.checks(
                connection, databases: databases.all, pruned: ["\(databases.cmHeartbeat).heatbeat_sequence"])
            current = ("lock", "Check that the metadata user may run IS_FREE_LOCK on the metadata server.")
            checks.append(
                try await MetadataChecks.lock(
                    options: config.metaConnection(), rmDatabase: databases.rm, workDir: workDir))
        } catch {
            checks.append(.fail(current.check, "\(error)", remedy: current.remedy))
        }
    }

    /// Several nodes' checks on the open connection: every region's heartbeat database (the rows
    /// to prune are counted over all of them) and the topology the metadata records.
    private mutating func inspectNodes(
        _ checks: inout [PreflightCheck], topology: Topology, connection: AsyncConnection, workDir: String
    ) async throws {
        checks.append(.pass("metadata-db", "Connected to the metadata database as \(topology.metaEndpoint)."))
        let existing = try await MetadataInspector.existingDatabases(connection, among: topology.databases)
        for database in [topology.rmDatabase, topology.cmDatabase] where !existing.contains(database) {
            checks.append(
                .fail(
                    "databases",
                    "The metadata database \(database) named in config.yaml does not"
                        + " exist.", remedy: "Fix drc_rm_db/drc_cm_db in the nodes' config.yaml."))
        }
        for region in topology.regions {
            let nodes = topology.nodes(in: region.location).map(\.ip).joined(separator: ", ")
            let present =
                existing.contains(region.heartbeatDatabase)
                ? try await MetadataInspector.tableExists(
                    connection, database: region.heartbeatDatabase,
                    table: "heatbeat_sequence")
                : false
            if present {
                let heartbeat = try await MetadataInspector.heartbeatStatus(
                    connection, database: region.heartbeatDatabase)
                heartbeatRowsToPrune += max(0, heartbeat.rows - 1)
            }
            checks.append(
                present
                    ? .pass(
                        "heartbeat-db", "Region \(region.label): \(region.heartbeatDatabase).heatbeat_sequence exists.")
                    : .fail(
                        "heartbeat-db",
                        "Region \(region.label) (nodes \(nodes)): its heartbeat database"
                            + " \(region.heartbeatDatabase) has no heatbeat_sequence table.",
                        remedy: "Check drc_cm_heartbeat_db in that region's config.yaml."))
        }
        guard existing.contains(topology.rmDatabase), existing.contains(topology.cmDatabase) else { return }
        let metadata = try await MetadataTopology.read(
            connection, rmDatabase: topology.rmDatabase,
            cmDatabase: topology.cmDatabase)
        self.metadata = metadata
        let problems = metadata.problems(against: topology)
        checks += problems.map(Planner.check)
        if problems.isEmpty {
            checks.append(
                .pass(
                    "metadata-topology",
                    "\(topology.rmDatabase).cluster_info and"
                        + " \(topology.cmDatabase).host name the same regions and nodes as the config.yaml files."))
        }
        if let tooLong = Self.databaseNamesCheck(topology.databases) { checks.append(tooLong) }
        sizes = try await MetadataInspector.sizes(connection, databases: topology.databases)
        // What the server cannot follow online, as a single node's plan says it: every region's
        // heartbeat table is pruned before the online copy, so its rows do not count.
        checks += try await ServerLimits.checks(
            connection, databases: topology.databases,
            pruned: Set(topology.regions.map { "\($0.heartbeatDatabase).heatbeat_sequence" }))
        checks.append(try await MetadataChecks.privileges(connection, user: "The metadata user"))
        checks.append(
            try await MetadataChecks.lock(
                options: connection.options, rmDatabase: topology.rmDatabase, workDir: workDir))
        try await checkHighAvailability(
            &checks, connection, rmDatabase: topology.rmDatabase,
            whenOn: "it is switched off before any node stops and back on after every node is healthy"
                + " (a multi-node upgrade never runs with HA on).")
    }

    /// HA's state, kept, and its check.
    private mutating func checkHighAvailability(
        _ checks: inout [PreflightCheck], _ connection: AsyncConnection, rmDatabase: String, whenOn: String
    ) async throws {
        let ha = try await MetadataChecks.highAvailability(connection, rmDatabase: rmDatabase, whenOn: whenOn)
        haEnabled = ha.enabled
        haKeys = ha.keys
        checks.append(ha.check)
    }

    /// A failed check when a database name leaves no room for the snapshot and quarantine siblings' suffixes.
    private static func databaseNamesCheck(_ names: [String]) -> PreflightCheck? {
        let limit = SnapshotOperations.maximumDatabaseNameLength
        let tooLong = names.filter { $0.count > limit }
        guard !tooLong.isEmpty else { return nil }
        return .fail(
            "database-names",
            "The database name(s) \(tooLong.joined(separator: ", ")) are longer than \(limit) characters, too long for"
                + " the snapshot and quarantine siblings (MySQL allows 64).",
            remedy: "Upgrade by hand with `oms-upgrade backup` and the plan's manual commands, or rename the databases."
        )
    }
}
