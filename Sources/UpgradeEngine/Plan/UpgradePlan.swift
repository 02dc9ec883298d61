import Containers
import Foundation
import OMSDeployment

/// Everything an upgrade will do, decided before anything is touched.
///
/// A plan is written to the run directory as `plan.json` when `apply` starts, so that `resume`
/// and `rollback` act on exactly what was planned. It holds no secrets.
public struct UpgradePlan: Codable, Sendable {
    /// The old container as found.
    public struct OldContainer: Codable, Sendable, Equatable {
        public var name: String
        public var id: String
        public var image: String
        public var running: Bool
    }

    /// Where the metadata server is and who logs in.
    public struct Endpoint: Codable, Sendable, Equatable {
        public var host: String
        public var port: Int
        public var user: String
    }

    /// The size of one database, from information_schema (estimates for InnoDB row counts).
    public struct DatabaseSize: Codable, Sendable, Equatable {
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

    /// The route between the two versions, from the routes table.
    public struct Route: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
        public var haOffDuringUpgrade: Bool
        public var allNodes: Bool
        public var notes: [String]
    }

    public var options: PlanOptions
    public var createdAt: Date
    public var oldContainer: OldContainer?
    /// The old container's settings as a run spec, so a rollback can say how to recreate it if it was deleted.
    public var oldContainerSpec: ContainerRunSpec?
    public var configPath: String?
    /// `user@host:port` of the metadata database.
    public var metaEndpoint: String?
    /// The metadata server's address and user, separately (never the password).
    public var metaEndpointParts: Endpoint?
    public var databases: MetaDatabases?
    public var route: Route?
    /// The route as the routes table gives it, with its environment extras.
    public var routeDetails: UpgradeRoute?
    public var newContainer: ContainerRunSpec?
    /// The name the old container is renamed to when the new one takes its name.
    public var renameOldTo: String?
    public var differencesFromGuide: [String]
    /// Whether HA is on in `oms_normal_config` (nil when it could not be read).
    public var haEnabled: Bool?
    /// The old console's URL.
    public var consoleURL: String?
    /// The new console's URL (HTTPS when the new container mounts an SSL pair).
    public var newConsoleURL: String?
    public var sizes: [DatabaseSize]
    /// Heartbeat rows that pruning deletes.
    public var heartbeatRowsToPrune: Int64
    public var steps: [PlannedStep]
    /// Commands that create the 0600 client defaults file the manual commands read.
    public var manualPrelude: [String] = []
    /// Estimated seconds between stopping the old container and the new one being healthy.
    public var downtimeEstimateSeconds: Double
    public var checks: [PreflightCheck]
    /// Every node of a multi-node deployment (`apply --node`), nil for one node on one engine.
    ///
    /// The single-container fields above then describe the first node; the steps act on these.
    public var nodes: [NodeTarget]?

    /// Whether every check passed (warnings allowed).
    public var isReady: Bool { !checks.contains { $0.status == .fail } }

    /// The checks that failed.
    public var failures: [PreflightCheck] { checks.filter { $0.status == .fail } }

    public init(options: PlanOptions) {
        self.options = options
        createdAt = Date()
        differencesFromGuide = []
        sizes = []
        heartbeatRowsToPrune = 0
        steps = []
        downtimeEstimateSeconds = 0
        checks = []
    }

    /// The new container's name, once planned.
    public var newContainerName: String? { newContainer?.name }
}
