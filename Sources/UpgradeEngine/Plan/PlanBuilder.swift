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
        /// The node, once discovered.
        var node: PlannedNode?
        /// The deployment-wide checks' findings.
        var deploymentChecks = DeploymentChecks(shape: .oneNode)

        /// Copies the deployment-wide findings into ``findings``.
        mutating func takeDeploymentFindings() {
            findings.route = deploymentChecks.route
            findings.haEnabled = deploymentChecks.haEnabled
            findings.haKeys = deploymentChecks.haKeys
            findings.sizes = deploymentChecks.sizes
            findings.heartbeatRowsToPrune = deploymentChecks.heartbeatRowsToPrune
        }
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
            if let meta = draft.deploymentChecks.metaOptions, let node = draft.node {
                plan.outageEstimate = await OutageEstimator.forPlan(plan).planEstimate(
                    nodes: [node], runsInit: { _ in true }, meta: meta, rmDatabase: plan.databases.rm,
                    tables: plan.sizes.reduce(0) { $0 + $1.tables }, madeAt: "plan")?.run
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
        let node = PlannedNode(engine: engine, deployment: deployment)
        draft.node = node
        let old = deployment.container
        draft.findings.oldContainer = node.oldContainer
        draft.findings.oldContainerSpec = node.oldContainerSpec
        draft.findings.configPath = deployment.configPath
        draft.findings.location = deployment.config.cmLocation
        draft.findings.databases = deployment.config.databases
        draft.findings.metaServer = .init(
            host: deployment.config.metaHost, port: deployment.config.metaPort,
            user: deployment.config.metaUser)
        do {
            draft.findings.consoleURL = try node.consoleURL()
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

        draft.deploymentChecks.checkRoute(
            &draft.checks,
            versions: .init(from: options.fromVersion, to: options.toVersion, image: options.image),
            oldImages: [(node: old.name, image: old.image)], oldVersion: deployment.version)
        draft.findings.route = draft.deploymentChecks.route
        await checkImageAndSpec(&draft, node: node)
        await draft.deploymentChecks.checkMetadata(
            &draft.checks, config: deployment.config, configPath: deployment.configPath, workDir: options.workDir)
        draft.takeDeploymentFindings()
        DeploymentChecks.checkWorkDir(
            &draft.checks, options: options, deploymentKey: draft.findings.deploymentKey, sizes: draft.findings.sizes)
    }

    private func checkImageAndSpec(_ draft: inout Draft, node: PlannedNode) async {
        let options = draft.options
        await NodeChecks.images(&draft.checks, nodes: [node], image: options.image)

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
            let new = try node.newContainer(
                NewContainerOptions(
                    image: options.image, name: options.newName, hostIP: options.hostIP, sslPair: ssl,
                    targetVersion: options.toVersion.flatMap(OMSVersion.init(parsing:)), route: draft.findings.route))
            draft.findings.newContainer = new.spec
            draft.findings.newConsoleURL = try node.newConsoleURL(new)
            draft.findings.renameOldTo = new.renameOldTo
            draft.findings.differencesFromGuide = new.differences
            if new.spec.name != node.deployment.container.name, try await node.engine.containerExists(new.spec.name) {
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
}
