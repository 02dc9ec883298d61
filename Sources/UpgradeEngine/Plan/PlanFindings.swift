import Containers
import Foundation
import OMSDeployment

/// What a single-node preflight found about the deployment so far; any part may be missing when a
/// check failed.
///
/// The builder fills it as its checks go; a ``PlanReport`` shows it, and turns it into an
/// ``UpgradePlan`` of one node when no check failed. Its JSON (a failed `plan --json`) keeps the
/// flat keys earlier plans had: the node's parts beside the deployment's.
public struct PlanFindings: Codable, Sendable {
    enum CodingKeys: String, CodingKey {
        case oldContainer, oldContainerSpec, configPath
        case metaServer = "metaEndpointParts"
        case databases, route, newContainer, renameOldTo, differencesFromGuide, haEnabled, haKeys, consoleURL
        case newConsoleURL, sizes, heartbeatRowsToPrune
    }

    public var oldContainer: UpgradePlan.OldContainer?
    public var oldContainerSpec: ContainerRunSpec?
    public var configPath: String?
    public var metaServer: UpgradePlan.Endpoint?
    public var databases: MetaDatabases?
    public var route: UpgradeRoute?
    public var newContainer: ContainerRunSpec?
    /// Nil also when the new container has a name of its own.
    public var renameOldTo: String?
    public var differencesFromGuide: [String] = []
    /// Nil also when `oms_normal_config` has no ha.config row.
    public var haEnabled: Bool?
    /// The `ha.config` keys that hold HA on; nil in findings written before they were recorded.
    public var haKeys: [String]?
    public var consoleURL: String?
    public var newConsoleURL: String?
    public var sizes: [UpgradePlan.DatabaseSize] = []
    public var heartbeatRowsToPrune: Int64 = 0
    /// The node's region (`cm_location` in config.yaml); not part of the JSON.
    public var location: Int?

    public init() {}

    /// The findings a ready plan was made of (its first node's parts, for a plan of several).
    public init(_ plan: UpgradePlan) {
        let node = plan.firstNode
        oldContainer = node.oldContainer
        oldContainerSpec = node.oldContainerSpec
        location = node.location
        configPath = plan.configPath
        metaServer = plan.metaServer
        databases = plan.databases
        route = plan.route
        newContainer = node.newContainer
        renameOldTo = node.renameOldTo
        differencesFromGuide = plan.differencesFromGuide
        haEnabled = plan.haEnabled
        haKeys = plan.haKeys
        consoleURL = node.consoleURL
        newConsoleURL = node.newConsoleURL
        sizes = plan.sizes
        heartbeatRowsToPrune = plan.heartbeatRowsToPrune
    }

    /// The names of the parts a ready plan needs that are still unknown.
    var missing: [String] {
        [
            ("old container", oldContainer == nil), ("old container spec", oldContainerSpec == nil),
            ("config.yaml path", configPath == nil), ("metadata server", metaServer == nil),
            ("databases", databases == nil), ("route", route == nil), ("new container", newContainer == nil),
            ("old console URL", consoleURL == nil), ("new console URL", newConsoleURL == nil),
        ].filter(\.1).map(\.0)
    }

    /// The key that identifies the deployment (see ``UpgradePlan/deploymentKey``), once its parts are known.
    var deploymentKey: String? {
        guard let databases, let metaServer, let oldContainer else { return nil }
        return UpgradePlan.deploymentKey(server: metaServer, rm: databases.rm, container: oldContainer.name)
    }
}

extension UpgradePlan {
    /// The ready one-node plan made of `findings`; nil when a part it needs is unknown.
    init?(options: PlanOptions, createdAt: Date, checks: [PreflightCheck], findings: PlanFindings) {
        guard let oldContainer = findings.oldContainer, let oldContainerSpec = findings.oldContainerSpec,
            let configPath = findings.configPath, let metaServer = findings.metaServer,
            let databases = findings.databases, let route = findings.route,
            let newContainer = findings.newContainer, let consoleURL = findings.consoleURL,
            let newConsoleURL = findings.newConsoleURL
        else { return nil }
        let node = NodeTarget(
            location: findings.location, oldContainer: oldContainer, oldContainerSpec: oldContainerSpec,
            newContainer: newContainer, renameOldTo: findings.renameOldTo, consoleURL: consoleURL,
            newConsoleURL: newConsoleURL)
        self.init(
            options: options, createdAt: createdAt, nodes: [node], configPath: configPath, metaServer: metaServer,
            databases: databases, route: route, haEnabled: findings.haEnabled, checks: checks)
        differencesFromGuide = findings.differencesFromGuide
        sizes = findings.sizes
        heartbeatRowsToPrune = findings.heartbeatRowsToPrune
        haKeys = findings.haKeys ?? []
    }
}
