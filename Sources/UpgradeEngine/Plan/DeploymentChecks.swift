import Foundation
import MetaDB
import OMSDeployment

/// The preflight checks made once per deployment, whatever its number of nodes: the upgrade
/// route, the metadata server and the work directory, with what they find.
///
/// ``Planner`` calls it after reading the nodes. A few messages still follow the deployment's
/// ``Shape`` (a single node's name no node and add a check or two), so that plans read as before.
struct DeploymentChecks: Sendable {
    /// How the deployment was given: what the checks' wording and their metadata checks follow.
    enum Shape: Sendable {
        /// One node, reached through the command's engine.
        case oneNode
        /// Several nodes given with `--node`, with the topology their config.yaml files agree on.
        case nodes(Topology)
    }

    let shape: Shape
    /// The route between the two versions, once known.
    var route: UpgradeRoute?
    /// Whether HA is on (nil when it could not be read, or there is no ha.config row).
    var haEnabled: Bool?
    /// The `ha.config` keys that hold HA on, once read.
    var haKeys: [String]?
    /// Size estimates of the metadata databases.
    var sizes: [UpgradePlan.DatabaseSize] = []
    /// The heartbeat rows the outage prunes (every region's, for several nodes).
    var heartbeatRowsToPrune: Int64 = 0
    /// `rm.cluster_info` and `cm.host`, when read (several nodes only).
    var metadata: MetadataTopology?

    init(shape: Shape) {
        self.shape = shape
    }

    /// What the route check needs to know of the versions.
    struct Versions {
        /// `--from-version` and `--to-version`, when given.
        var from: String?
        var to: String?
        /// The new image.
        var image: String
    }

    /// The old release (the same on every node: `oldImages` is each node's name and old image, and
    /// `oldVersion` the first node's version) and the documented route to the new one.
    mutating func checkRoute(
        _ checks: inout [PreflightCheck], versions: Versions, oldImages: [(node: String, image: String)],
        oldVersion: OMSVersion?
    ) {
        if Set(oldImages.map(\.image)).count > 1 {
            let found = oldImages.map { "node \($0.node) runs \($0.image)" }.joined(separator: "; ")
            checks.append(
                .fail(
                    "old-image", "The nodes run different images: \(found).",
                    remedy: "Bring every node to the same release before upgrading them together."))
            return
        }
        let from = versions.from.flatMap(OMSVersion.init(parsing:)) ?? oldVersion
        let to = versions.to.flatMap(OMSVersion.init(parsing:)) ?? OMSVersion(parsing: versions.image)
        guard let from, let to else {
            checks.append(
                Self.unknownVersion(shape: shape, from: from, oldImage: oldImages.first?.image ?? "", versions))
            return
        }
        do {
            let route = try UpgradeRoutes.bundled().route(from: from, to: to)
            self.route = route
            checks.append(.pass("route", "\(from) -> \(to) is a documented upgrade route."))
            if case .oneNode = shape, route.allNodes {
                checks.append(
                    .warn(
                        "all-nodes", "This route must be applied on every OMS node of the region.",
                        remedy: "Stop OMS on every node first and run oms-upgrade on each."))
            }
        } catch {
            let remedy =
                switch shape {
                case .oneNode:
                    "Upgrade along a documented route (see the routes table), or pass --from-version/--to-version if the tags mislead."
                case .nodes: "Upgrade along a documented route (see the routes table)."
                }
            checks.append(.fail("route", "\(error)", remedy: remedy))
        }
    }

    /// The failed route check when a version cannot be told from the image tags (`from` nil: the old one).
    private static func unknownVersion(
        shape: Shape, from: OMSVersion?, oldImage: String, _ versions: Versions
    ) -> PreflightCheck {
        guard case .oneNode = shape else {
            return .fail(
                "route", "Cannot tell the old or the new version from the image tags.",
                remedy: "Pass --from-version and --to-version, e.g. 3.2.2 and 3.3.0.")
        }
        if from == nil {
            return .fail(
                "route", "Cannot tell the old version from the image \(oldImage).",
                remedy: "Pass --from-version, e.g. --from-version 3.2.2.")
        }
        return .fail(
            "route", "Cannot tell the new version from the image \(versions.image).",
            remedy: "Pass --to-version, e.g. --to-version 3.3.0.")
    }
}

extension DeploymentChecks {
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
}
