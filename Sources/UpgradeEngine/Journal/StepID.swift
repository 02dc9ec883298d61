/// The name of one step of an upgrade or a rollback, as recorded in the journal.
public enum StepID: String, Codable, Sendable, CaseIterable {
    // Upgrade, in order.
    case prePrune = "pre-prune"
    case haOff = "ha-off"
    case stopOld = "stop-old"
    case prune
    case backup
    case snapshot
    case startNew = "start-new"
    case initSchema = "init"
    case health
    case haOn = "ha-on"

    // Rollback, in order.
    case rollbackStopNew = "rollback-stop-new"
    case rollbackData = "rollback-data"
    case rollbackVerify = "rollback-verify"
    case rollbackHA = "rollback-ha"
    case rollbackContainers = "rollback-containers"
    case rollbackHealth = "rollback-health"

    /// The upgrade's steps in the order they run.
    public static let upgradeSequence: [StepID] = [
        .prePrune, .haOff, .stopOld, .prune, .backup, .snapshot, .startNew, .initSchema, .health, .haOn,
    ]

    /// The rollback's steps in the order they run.
    public static let rollbackSequence: [StepID] = [
        .rollbackStopNew, .rollbackData, .rollbackVerify, .rollbackHA, .rollbackContainers, .rollbackHealth,
    ]

    /// A short sentence saying what the step does, for plans and summaries.
    public var summary: String {
        switch self {
        case .prePrune: "Prune old heartbeat rows online, while OMS still runs"
        case .haOff: "Turn HA off in oms_normal_config (ha.config)"
        case .stopOld: "Stop the old OMS container"
        case .prune: "Prune the heartbeat table to its newest row"
        case .backup: "Back up the metadata databases to SQL files and verify them"
        case .snapshot: "Snapshot the metadata databases server-side for a fast rollback"
        case .startNew: "Start the new OMS container on the same mounts"
        case .initSchema: "Run the metadata init script (bash /root/docker_init.sh) in the new container"
        case .health: "Wait until the new OMS reports healthy"
        case .haOn: "Turn HA back on"
        case .rollbackStopNew: "Stop the new OMS container"
        case .rollbackData: "Put the pre-upgrade metadata back (snapshot swap or restore from the backup)"
        case .rollbackVerify: "Check the metadata against the pre-upgrade backup's counts and checksums"
        case .rollbackContainers: "Give the old container its name back and start it"
        case .rollbackHA: "Put HA back to its pre-upgrade state"
        case .rollbackHealth: "Wait until the old OMS reports healthy"
        }
    }

    /// Whether the service is down while this upgrade step runs.
    public var isDowntime: Bool {
        switch self {
        case .stopOld, .prune, .backup, .snapshot, .startNew, .initSchema, .health: true
        default: false
        }
    }
}
