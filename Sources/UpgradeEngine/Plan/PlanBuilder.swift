import Containers
import Foundation
import Logging
import MetaDB
import OMSDeployment

/// Reads a live deployment and decides the whole upgrade, changing nothing.
///
/// Every problem becomes a failed ``PreflightCheck`` with a remedy rather than a thrown error, so
/// that one run of `plan` lists all of them. Later checks that depend on an earlier failed one are
/// left out instead of failing noisily.
public struct PlanBuilder: Sendable {
    let engine: any ContainerEngine
    let logger: Logger

    public init(engine: any ContainerEngine, logger: Logger) {
        self.engine = engine
        self.logger = logger
    }

    /// What the checks have found so far.
    struct Draft {
        let options: PlanOptions
        var checks: [PreflightCheck] = []
        var findings = PlanFindings()
        /// How to reach the metadata server, once config.yaml was read (for the outage estimate's probes).
        var metaOptions: ConnectionOptions?
    }

    /// Runs every check for `options`; the report holds the plan when none failed.
    public func build(_ options: PlanOptions) async -> PlanReport {
        let createdAt = Date()
        var draft = Draft(options: options)
        await check(&draft)
        var report = PlanReport(
            options: options, createdAt: createdAt, checks: draft.checks, findings: draft.findings)
        if var plan = report.plan {
            plan.addSteps()
            if let meta = draft.metaOptions {
                let measured = await OutageEstimator.measure(
                    engine: engine, container: plan.firstNode.oldContainer.id, meta: meta,
                    rmDatabase: plan.databases.rm,
                    tables: plan.sizes.reduce(0) { $0 + $1.tables })
                plan.outageEstimate = OutageEstimator.forPlan(plan).estimate(measured, madeAt: "plan")
                plan.downtimeEstimateSeconds =
                    plan.outageEstimate?.totalSeconds ?? plan.outageEstimate?.toolSeconds ?? 0
            }
            report = PlanReport(plan: plan)
        }
        return report
    }

    private func check(_ draft: inout Draft) async {
        let options = draft.options
        do {
            try await engine.ping()
            draft.checks.append(.pass("docker", "The Docker engine answers."))
        } catch {
            draft.checks.append(
                .fail(
                    "docker", "\(error)",
                    remedy: "Start dockerd, or point --host/--context/DOCKER_HOST at the engine that runs OMS."))
            return
        }

        let deployment: Deployment
        do {
            deployment = try await Deployment.discover(container: options.container, engine: engine)
        } catch {
            draft.checks.append(
                .fail(
                    "old-container", "\(error)",
                    remedy: "Pass --container with the name or id of the running OMS container (see `docker ps`)."))
            return
        }
        let old = deployment.container
        draft.findings.oldContainer = .init(name: old.name, id: old.id, image: old.image, running: old.state.running)
        draft.findings.oldContainerSpec = Self.runSpec(of: old)
        draft.findings.configPath = deployment.configPath
        draft.findings.location = deployment.config.cmLocation
        draft.findings.databases = deployment.config.databases
        draft.findings.metaServer = .init(
            host: deployment.config.metaHost, port: deployment.config.metaPort,
            user: deployment.config.metaUser)
        do {
            draft.findings.consoleURL = try deployment.consoleURL.absoluteString
        } catch {
            draft.checks.append(
                .fail(
                    "host-ip", "\(error)",
                    remedy: "Fix OMS_HOST_IP on the old container, or pass --host-ip."))
        }
        draft.checks.append(
            old.state.running
                ? .pass(
                    "old-container",
                    "\(old.name) (\(old.id.prefix(12))) runs \(old.image) with the OMS layout; config.yaml at \(deployment.configPath)."
                )
                : .warn(
                    "old-container", "\(old.name) exists but is not running (\(old.state.status)).",
                    remedy: "Start it first if the upgrade should begin from a healthy OMS."))

        if let multiNode = Self.multiNodeCheck(deployment.config) { draft.checks.append(multiNode) }

        do {
            try deployment.validateMountSources()
            draft.checks.append(.pass("mounts", "Every mount source of \(old.name) exists on this host."))
        } catch {
            draft.checks.append(
                .fail(
                    "mounts", "\(error)",
                    remedy: "Restore the missing host directory or file; the new container must use the same mounts."))
        }

        await checkRoute(&draft, deployment: deployment)
        await checkImageAndSpec(&draft, deployment: deployment)
        await checkMetadata(&draft, deployment: deployment)
        Self.checkWorkDir(
            &draft.checks, options: options, deploymentKey: draft.findings.deploymentKey, sizes: draft.findings.sizes)
    }

    private func checkRoute(_ draft: inout Draft, deployment: Deployment) async {
        let options = draft.options
        let from = options.fromVersion.flatMap(OMSVersion.init(parsing:)) ?? deployment.version
        let to = options.toVersion.flatMap(OMSVersion.init(parsing:)) ?? OMSVersion(parsing: options.image)
        guard let from else {
            draft.checks.append(
                .fail(
                    "route", "Cannot tell the old version from the image \(deployment.container.image).",
                    remedy: "Pass --from-version, e.g. --from-version 3.2.2."))
            return
        }
        guard let to else {
            draft.checks.append(
                .fail(
                    "route", "Cannot tell the new version from the image \(options.image).",
                    remedy: "Pass --to-version, e.g. --to-version 3.3.0."))
            return
        }
        do {
            let route = try UpgradeRoutes.bundled().route(from: from, to: to)
            draft.findings.route = route
            draft.checks.append(.pass("route", "\(from) -> \(to) is a documented upgrade route."))
            if route.allNodes {
                draft.checks.append(
                    .warn(
                        "all-nodes", "This route must be applied on every OMS node of the region.",
                        remedy: "Stop OMS on every node first and run oms-upgrade on each."))
            }
        } catch {
            draft.checks.append(
                .fail(
                    "route", "\(error)",
                    remedy:
                        "Upgrade along a documented route (see the routes table), or pass --from-version/--to-version if the tags mislead."
                ))
        }
    }

    private func checkImageAndSpec(_ draft: inout Draft, deployment: Deployment) async {
        let options = draft.options
        do {
            if try await engine.imageExists(options.image) {
                draft.checks.append(.pass("image", "The image \(options.image) is present locally."))
            } else {
                draft.checks.append(
                    .fail(
                        "image", "The image \(options.image) is not present on this Docker engine.",
                        remedy: "Load it first (`docker load -i <file>`) and check the tag with `docker images`."))
            }
        } catch {
            draft.checks.append(.fail("image", "\(error)", remedy: "Check the image reference."))
        }

        var ssl: SSLPair?
        switch (options.sslCertificate, options.sslKey) {
        case (nil, nil):
            break
        case (let certificate?, let key?):
            do {
                let pair = SSLPair(certificatePath: certificate, keyPath: key)
                try pair.validate()
                ssl = pair
                draft.checks.append(
                    .pass("ssl", "The SSL certificate and key parse and match; the console will be HTTPS only."))
            } catch {
                draft.checks.append(
                    .fail(
                        "ssl", "\(error)", remedy: "Pass a PEM certificate and the PEM private key that belongs to it.")
                )
            }
        default:
            draft.checks.append(
                .fail(
                    "ssl", "Only one of --ssl-cert and --ssl-key was given.",
                    remedy: "Pass both, or neither to keep the old container's console setup."))
        }

        do {
            let new = try NewContainerSpec.build(
                for: deployment,
                options: NewContainerOptions(
                    image: options.image, name: options.newName, hostIP: options.hostIP, sslPair: ssl,
                    targetVersion: options.toVersion.flatMap(OMSVersion.init(parsing:)), route: draft.findings.route))
            draft.findings.newContainer = new.spec
            draft.findings.newConsoleURL = try new.consoleURL(port: deployment.config.ports.nginx).absoluteString
            draft.findings.renameOldTo = new.renameOldTo
            draft.findings.differencesFromGuide = new.differences
            if new.spec.name != deployment.container.name, try await engine.containerExists(new.spec.name) {
                draft.checks.append(
                    .fail(
                        "new-name", "A container named \(new.spec.name) already exists.",
                        remedy: "Pass --name with a free name, or rename that container."))
            } else {
                draft.checks.append(
                    .pass(
                        "new-container",
                        "The new container \(new.spec.name) will use the same config.yaml and data mounts."))
            }
        } catch {
            draft.checks.append(.fail("new-container", "\(error)", remedy: "Pass --host-ip (and --name if needed)."))
        }
    }

    private func checkMetadata(_ draft: inout Draft, deployment: Deployment) async {
        let config = deployment.config
        let connection: AsyncConnection
        do {
            var options = config.metaConnection(connectTimeout: 5)
            options.database = nil
            connection = try await AsyncConnection(options: options)
        } catch {
            draft.checks.append(
                .fail(
                    "metadata-db", "\(error)",
                    remedy:
                        "Check that the metadata database is up and that oms_meta_* in \(deployment.configPath) are right."
                ))
            return
        }
        await inspectMetadata(&draft, deployment: deployment, connection: connection)
        await connection.close()
    }

    /// The checks made on the metadata server's open connection; each failure carries its own check's remedy.
    private func inspectMetadata(_ draft: inout Draft, deployment: Deployment, connection: AsyncConnection) async {
        let config = deployment.config
        let databases = config.databases
        // The check under way, so that a statement error is reported against it, with its remedy.
        var current = (check: "databases", remedy: "Check that the metadata user may read information_schema.")
        draft.checks.append(
            .pass(
                "metadata-db",
                "Connected to the metadata database as \(config.metaConnection().endpoint) (\(connection.serverVersion))."
            ))
        do {
            let existing = try await MetadataInspector.existingDatabases(connection, among: databases.all)
            let missing = databases.all.filter { !existing.contains($0) }
            guard missing.isEmpty else {
                draft.checks.append(
                    .fail(
                        "databases",
                        "The metadata database(s) \(missing.joined(separator: ", ")) named in config.yaml do not exist.",
                        remedy: "Fix drc_*_db in config.yaml or check that OMS was initialised."))
                return
            }
            draft.checks.append(.pass("databases", "The databases \(databases.all.joined(separator: ", ")) exist."))
            if let multiRegion = try await Self.multiRegionCheck(connection, rmDatabase: databases.rm) {
                draft.checks.append(multiRegion)
            }
            current = ("heartbeat", "Check drc_cm_heartbeat_db in config.yaml and that the metadata user may read it.")
            let tooLong = databases.all.filter { $0.count > SnapshotOperations.maximumDatabaseNameLength }
            if !tooLong.isEmpty {
                draft.checks.append(
                    .fail(
                        "database-names",
                        "The database name(s) \(tooLong.joined(separator: ", ")) are longer than \(SnapshotOperations.maximumDatabaseNameLength) characters, too long for the snapshot and quarantine siblings (MySQL allows 64).",
                        remedy:
                            "Upgrade by hand with `oms-upgrade backup` and the plan's manual commands, or rename the databases."
                    ))
            }
            if try await MetadataInspector.tableExists(
                connection, database: databases.cmHeartbeat, table: "heatbeat_sequence")
            {
                let heartbeat = try await MetadataInspector.heartbeatStatus(connection, database: databases.cmHeartbeat)
                draft.findings.heartbeatRowsToPrune = max(0, heartbeat.rows - 1)
                draft.checks.append(
                    .pass(
                        "heartbeat",
                        "\(databases.cmHeartbeat).heatbeat_sequence has about \(heartbeat.rows) rows to prune to one."))
            } else {
                draft.checks.append(
                    .fail(
                        "heartbeat", "\(databases.cmHeartbeat).heatbeat_sequence does not exist.",
                        remedy: "Check drc_cm_heartbeat_db in config.yaml."))
            }
            current = ("privileges", "Check that the metadata user may read its own grants (SHOW GRANTS).")
            draft.checks.append(try await MetadataChecks.privileges(connection, user: config.metaUser))
            current = ("ha", "Check that the metadata user may read \(databases.rm).oms_normal_config.")
            let ha = try await MetadataChecks.highAvailability(
                connection, rmDatabase: databases.rm, whenOn: "it is switched off during the upgrade and back on after."
            )
            draft.findings.haEnabled = ha.enabled
            draft.findings.haKeys = ha.keys
            draft.checks.append(ha.check)
            current = ("sizes", "Check that the metadata user may read information_schema.TABLES.")
            draft.findings.sizes = try await MetadataInspector.sizes(connection, databases: databases.all)
            current = ("change-capture", "Check that the metadata user may read information_schema.COLUMNS.")
            draft.checks += try await ServerLimits.checks(
                connection, databases: databases.all, pruned: "\(databases.cmHeartbeat).heatbeat_sequence")
            current = ("lock", "Check that the metadata user may run IS_FREE_LOCK on the metadata server.")
            draft.checks.append(
                try await MetadataChecks.lock(
                    options: config.metaConnection(), rmDatabase: databases.rm, workDir: draft.options.workDir))
            draft.metaOptions = config.metaConnection()
        } catch {
            draft.checks.append(.fail(current.check, "\(error)", remedy: current.remedy))
        }
    }

    /// A deployment whose last run stopped half-way must be finished first (apply checks again under the lock).
    static func checkUnfinishedRuns(_ checks: inout [PreflightCheck], options: PlanOptions, deploymentKey: String?) {
        guard let deploymentKey,
            let run = try? RunStore.unfinishedRuns(deploymentKey: deploymentKey, workDir: options.workDir).last
        else { return }
        let id = run.directory.runID
        checks.append(
            .fail(
                "unfinished-run",
                "Run \(id) of this deployment is unfinished (\(run.journal.replayed.phase.rawValue)).",
                remedy: "Finish it first: `oms-upgrade resume --run \(id) --work-dir \(options.workDir)` or "
                    + "`oms-upgrade rollback --run \(id) --work-dir \(options.workDir)`."))
    }

    /// The work directory is writable, has room for the backups of databases of `sizes`, and holds no
    /// unfinished run of the deployment `deploymentKey` (nil when its databases are unknown).
    static func checkWorkDir(
        _ checks: inout [PreflightCheck], options: PlanOptions, deploymentKey: String?,
        sizes: [UpgradePlan.DatabaseSize]
    ) {
        let url = URL(filePath: options.workDir)
        if let problem = WorkDirectory.writabilityProblem(url) {
            checks.append(
                .fail(
                    "work-dir", "The work directory is not usable: \(problem).",
                    remedy: "Pass --work-dir with a writable directory on a disk with room for the backups."))
            return
        }
        Self.checkUnfinishedRuns(&checks, options: options, deploymentKey: deploymentKey)
        let needed = 2 * sizes.reduce(Int64(0)) { $0 + $1.bytes }
        if let free = WorkDirectory.freeBytes(at: url), free < needed {
            checks.append(
                .fail(
                    "free-space",
                    "The work directory has \(free) bytes free; the backups need about \(needed) (2x the estimated dump size).",
                    remedy: "Free space or pass --work-dir on a larger disk."))
        } else {
            checks.append(.pass("free-space", "The work directory \(url.path) has room for the backups."))
        }
    }

    /// The old container's settings as a run spec, for recreating it by hand if it is ever deleted.
    static func runSpec(of old: ContainerDetails) -> ContainerRunSpec {
        ContainerRunSpec(
            name: old.name, image: old.image, mounts: old.mounts, env: old.env,
            networkMode: old.networkMode, privileged: old.privileged, pidsLimit: old.pidsLimit,
            ulimits: old.ulimits, restartPolicy: old.restartPolicy, labels: old.labels,
            portBindings: old.portBindings, capAdd: old.capAdd, interactive: old.openStdin, tty: old.tty)
    }
}
