import Foundation
import OMSDeployment

/// The upgrade of a multi-node deployment as planned: the topology, what runs where, and every
/// preflight check across the nodes. Holds no secrets.
public struct MultiNodePlan: Codable, Sendable {
    public var options: MultiNodePlanOptions
    public var createdAt: Date
    /// The topology, when the nodes could be read and agree with each other.
    public var topology: Topology?
    /// `rm.cluster_info` and `cm.host`, when they could be read.
    public var metadata: MetadataTopology?
    /// The route between the two versions, when known.
    public var route: UpgradeRoute?
    /// Whether HA is on (nil when it could not be read).
    public var haEnabled: Bool?
    /// The `ha.config` keys that hold HA on.
    public var haKeys: [String]?
    /// The new container's name on every node.
    public var newContainerName: String?
    /// Size estimates of rm, cm and every region's heartbeat database.
    public var sizes: [UpgradePlan.DatabaseSize] = []
    /// The heartbeat rows the outage prunes, over every region's heartbeat table (nil when the
    /// nodes could not be read, and in plans written before it was counted).
    public var heartbeatRowsToPrune: Int64?
    /// What the upgrade does on each node: its old container and the new one with its own OMS_HOST_IP.
    public var nodeTargets: [NodeTarget] = []
    /// The run's outage, part by part: each part as long as its slowest node (nil when not measured).
    public var outageEstimate: OutageEstimate?
    /// Each node's outage estimate, in the order of `--node`.
    public var nodeEstimates: [NodeOutageEstimate]?
    public var checks: [PreflightCheck]

    public init(options: MultiNodePlanOptions, createdAt: Date = Date()) {
        self.options = options
        self.createdAt = createdAt
        self.checks = []
    }

    /// True when no check failed.
    public var isReady: Bool { !checks.contains { $0.status == .fail } }

    /// The failed checks.
    public var failures: [PreflightCheck] { checks.filter { $0.status == .fail } }
}
