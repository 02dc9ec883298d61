import Containers
import Foundation
import OMSDeployment

/// Everything an upgrade will do, decided before anything is touched: a plan that passed preflight.
///
/// Only a preflight with no failed check yields one (``PlanReport/plan``), so every field a run
/// needs is known. A plan is written to the run directory as `plan.json` when `apply` starts, so
/// that `resume` and `rollback` act on exactly what was planned. It holds no secrets.
public struct UpgradePlan: Sendable {
    /// The old container as found.
    public struct OldContainer: Codable, Sendable, Equatable {
        public var name: String
        public var id: String
        public var image: String
        public var running: Bool

        public init(name: String, id: String, image: String, running: Bool) {
            self.name = name
            self.id = id
            self.image = image
            self.running = running
        }
    }

    /// Where the metadata server is and who logs in (never the password).
    public struct Endpoint: Codable, Sendable, Equatable {
        public var host: String
        public var port: Int
        public var user: String

        public init(host: String, port: Int, user: String) {
            self.host = host
            self.port = port
            self.user = user
        }

        /// `user@host:port`, an IPv6 host in brackets, as connection messages show it.
        public var text: String {
            "\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }
    }

    /// The size of one database, from information_schema (estimates for InnoDB row counts).
    public struct DatabaseSize: Codable, Sendable, Equatable {
        /// How the sizes were found, for the plan's heading: they depend on the metadata server.
        public static let howMeasured =
            "MariaDB and MySQL: information_schema estimates; the OceanBase kernel: counted rows, occupied bytes"
        public var database: String
        public var tables: Int
        public var rows: Int64
        public var bytes: Int64
    }

    /// One step as planned, with what a person would type to do it by hand.
    public struct PlannedStep: Codable, Sendable, Equatable {
        public var id: StepID
        public var summary: String
        public var downtime: Bool
        /// Copy-pasteable shell commands doing the same by hand; passwords only in a defaults file.
        public var manualCommands: [String]
        /// Why the step will be skipped, when it will.
        public var skippedBecause: String?
    }

    public var options: PlanOptions
    public var createdAt: Date
    /// Every node the upgrade acts on, never empty: one for a deployment planned without
    /// `--node`, one per `--node` otherwise. The per-node facts (containers, console URLs, where
    /// the init runs) live only here.
    public var nodes: [NodeTarget]
    /// The old container's config.yaml on the host (it holds the credentials, which plans never store).
    public var configPath: String
    /// The metadata server's address and user.
    public var metaServer: Endpoint
    public var databases: MetaDatabases
    /// The route as the routes table gives it, with its environment extras.
    public var route: UpgradeRoute
    public var differencesFromGuide: [String]
    /// Whether HA is on in `oms_normal_config`; nil when that table has no ha.config row (HA is left alone).
    public var haEnabled: Bool?
    /// The `ha.config` keys that hold HA on (OBD's rule: a true key whose name contains `enable`).
    public var haKeys: [String] = []
    public var sizes: [DatabaseSize]
    /// Heartbeat rows that pruning deletes.
    public var heartbeatRowsToPrune: Int64
    public var steps: [PlannedStep]
    /// Commands that create the 0600 client defaults file the manual commands read.
    public var manualPrelude: [String]
    /// Estimated seconds between stopping the old container and the new one being healthy (the
    /// estimate's total, or its tool's part when the init cannot be known; 0 when not estimated).
    public var downtimeEstimateSeconds: Double
    /// The outage estimated part by part from measurements (nil in plans of earlier versions).
    public var outageEstimate: OutageEstimate?
    /// The preflight checks the plan passed (warnings included), for the run's report.
    public var checks: [PreflightCheck]

    /// A plan of the given parts; the steps and the downtime estimate are left for the builder.
    ///
    /// - Precondition: `nodes` is not empty.
    public init(
        options: PlanOptions, createdAt: Date = Date(), nodes: [NodeTarget], configPath: String,
        metaServer: Endpoint, databases: MetaDatabases, route: UpgradeRoute, haEnabled: Bool? = nil,
        checks: [PreflightCheck] = []
    ) {
        precondition(!nodes.isEmpty, "a plan has at least one node")
        self.options = options
        self.createdAt = createdAt
        self.nodes = nodes
        self.configPath = configPath
        self.metaServer = metaServer
        self.databases = databases
        self.route = route
        self.differencesFromGuide = []
        self.haEnabled = haEnabled
        self.sizes = []
        self.heartbeatRowsToPrune = 0
        self.steps = []
        self.manualPrelude = []
        self.downtimeEstimateSeconds = 0
        self.checks = checks
    }

    /// The first node: where the metadata server is measured from and whose names the run's
    /// summary shows (every node's new container has the same name).
    public var firstNode: NodeTarget { nodes[0] }

    /// Whether the nodes were named by `--node` (each reached through its own engine), so that the
    /// journal names each node's facts by its IP.
    public var isMultiNode: Bool { nodes.contains { $0.ip != nil } }

    /// `user@host:port` of the metadata server.
    public var metaEndpoint: String { metaServer.text }

    /// The new container's name (the same on every node).
    public var newContainerName: String { firstNode.newContainer.name }
}
