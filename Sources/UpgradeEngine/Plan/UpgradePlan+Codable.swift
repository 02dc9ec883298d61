import Containers
import Foundation
import OMSDeployment

/// `plan.json`: every node under `nodes` (a list of one for a deployment planned without `--node`),
/// the deployment-wide parts under the keys plans have always used.
///
/// The metadata server stays under `metaEndpointParts` (with its `metaEndpoint` text beside it, for
/// readers); the route is written once, in full, under `route`. Reading also accepts what earlier
/// versions wrote, so that their runs still resume, roll back and show their status: the
/// `routeDetails` key (the full route then, preferred over `route`, which lacked the environment),
/// and a single-node plan's top-level `oldContainer`, `oldContainerSpec`, `newContainer`,
/// `renameOldTo`, `consoleURL` and `newConsoleURL` without `nodes` (read as a list of one node;
/// multi-node plans wrote them too, for their first node, beside `nodes`, which wins).
extension UpgradePlan: Codable {
    enum CodingKeys: String, CodingKey {
        case options, createdAt, oldContainer, oldContainerSpec, configPath
        case metaServer = "metaEndpointParts"
        case metaEndpoint, databases, route, routeDetails, newContainer, renameOldTo, differencesFromGuide
        case haEnabled, haKeys, consoleURL, newConsoleURL, sizes, heartbeatRowsToPrune, steps, manualPrelude
        case downtimeEstimateSeconds, outageEstimate, checks, nodes
    }

    /// A route as any version wrote it: the earlier summary lacks `env`.
    private struct StoredRoute: Decodable {
        var from: OMSVersion
        var to: OMSVersion
        var haOffDuringUpgrade: Bool
        var allNodes: Bool
        var env: [RouteEnvironmentVariable]?
        var notes: [String]?

        var route: UpgradeRoute {
            UpgradeRoute(
                from: from, to: to, haOffDuringUpgrade: haOffDuringUpgrade, allNodes: allNodes, env: env ?? [],
                notes: notes ?? [])
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let stored =
            try container.decodeIfPresent(StoredRoute.self, forKey: .routeDetails)
            ?? container.decode(StoredRoute.self, forKey: .route)
        let nodes = try container.decodeIfPresent([NodeTarget].self, forKey: .nodes) ?? [Self.singleNode(container)]
        guard !nodes.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .nodes, in: container, debugDescription: "a plan lists at least one node")
        }
        self.init(
            options: try container.decode(PlanOptions.self, forKey: .options),
            createdAt: try container.decode(Date.self, forKey: .createdAt),
            nodes: nodes,
            configPath: try container.decode(String.self, forKey: .configPath),
            metaServer: try container.decode(Endpoint.self, forKey: .metaServer),
            databases: try container.decode(MetaDatabases.self, forKey: .databases),
            route: stored.route,
            haEnabled: try container.decodeIfPresent(Bool.self, forKey: .haEnabled),
            checks: try container.decodeIfPresent([PreflightCheck].self, forKey: .checks) ?? [])
        differencesFromGuide = try container.decodeIfPresent([String].self, forKey: .differencesFromGuide) ?? []
        sizes = try container.decodeIfPresent([DatabaseSize].self, forKey: .sizes) ?? []
        heartbeatRowsToPrune = try container.decodeIfPresent(Int64.self, forKey: .heartbeatRowsToPrune) ?? 0
        steps = try container.decodeIfPresent([PlannedStep].self, forKey: .steps) ?? []
        manualPrelude = try container.decodeIfPresent([String].self, forKey: .manualPrelude) ?? []
        downtimeEstimateSeconds = try container.decodeIfPresent(Double.self, forKey: .downtimeEstimateSeconds) ?? 0
        haKeys = try container.decodeIfPresent([String].self, forKey: .haKeys) ?? []
        outageEstimate = try container.decodeIfPresent(OutageEstimate.self, forKey: .outageEstimate)
    }

    /// The one node of a single-node plan written before plans held a node list, from its top-level keys.
    private static func singleNode(_ container: KeyedDecodingContainer<CodingKeys>) throws -> NodeTarget {
        NodeTarget(
            oldContainer: try container.decode(OldContainer.self, forKey: .oldContainer),
            oldContainerSpec: try container.decode(ContainerRunSpec.self, forKey: .oldContainerSpec),
            newContainer: try container.decode(ContainerRunSpec.self, forKey: .newContainer),
            renameOldTo: try container.decodeIfPresent(String.self, forKey: .renameOldTo),
            consoleURL: try container.decode(String.self, forKey: .consoleURL),
            newConsoleURL: try container.decode(String.self, forKey: .newConsoleURL))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(options, forKey: .options)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(nodes, forKey: .nodes)
        try container.encode(configPath, forKey: .configPath)
        try container.encode(metaServer, forKey: .metaServer)
        try container.encode(metaEndpoint, forKey: .metaEndpoint)
        try container.encode(databases, forKey: .databases)
        try container.encode(route, forKey: .route)
        try container.encode(differencesFromGuide, forKey: .differencesFromGuide)
        try container.encodeIfPresent(haEnabled, forKey: .haEnabled)
        if !haKeys.isEmpty { try container.encode(haKeys, forKey: .haKeys) }
        try container.encode(sizes, forKey: .sizes)
        try container.encode(heartbeatRowsToPrune, forKey: .heartbeatRowsToPrune)
        try container.encode(steps, forKey: .steps)
        try container.encode(manualPrelude, forKey: .manualPrelude)
        try container.encode(downtimeEstimateSeconds, forKey: .downtimeEstimateSeconds)
        try container.encodeIfPresent(outageEstimate, forKey: .outageEstimate)
        try container.encode(checks, forKey: .checks)
    }
}
