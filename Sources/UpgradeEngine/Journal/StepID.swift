/// The name of one step of an upgrade or a rollback, as recorded in the journal.
public enum StepID: String, Codable, Sendable, CaseIterable {
    // Upgrade, in order.
    case prePrune = "pre-prune"
    case haOff = "ha-off"
    case onlineCopy = "online-copy"
    case stopOld = "stop-old"
    case catchUp = "catch-up"
    case prune
    case backup
    /// The in-downtime snapshot of earlier versions; no longer in the sequence (journals may still name it).
    case snapshot
    case startNew = "start-new"
    case initSchema = "init"
    case health
    case haOn = "ha-on"

    // Rollback, in order.
    case rollbackCapture = "rollback-capture"
    case rollbackStopNew = "rollback-stop-new"
    case rollbackData = "rollback-data"
    case rollbackVerify = "rollback-verify"
    case rollbackHA = "rollback-ha"
    case rollbackContainers = "rollback-containers"
    case rollbackHealth = "rollback-health"

    /// The upgrade's steps in the order they run.
    ///
    /// While the old OMS serves: pre-prune, HA off, the online copy with change capture. Downtime:
    /// stop, catch-up (work proportional to the rows changed since the copy), prune, start, init,
    /// health. After, with the new OMS serving: the backup files from the static snapshot, HA on.
    public static let upgradeSequence: [StepID] = [
        .prePrune, .haOff, .onlineCopy, .stopOld, .catchUp, .prune, .startNew, .initSchema, .health, .backup, .haOn,
    ]

    /// The rollback's steps in the order they run.
    ///
    /// The snapshot is verified before the new container stops: the outage is stop, swap, start.
    public static let rollbackSequence: [StepID] = [
        .rollbackCapture, .rollbackVerify, .rollbackStopNew, .rollbackData, .rollbackHA, .rollbackContainers,
        .rollbackHealth,
    ]

    /// A short sentence saying what the step does, for plans and summaries.
    public var summary: String {
        switch self {
        case .prePrune: "Prune old heartbeat rows online, while OMS still runs"
        case .haOff: "Turn HA off in oms_normal_config (ha.config)"
        case .onlineCopy: "Copy the metadata online into the snapshot databases, capturing changes with triggers"
        case .stopOld: "Stop the old OMS container"
        case .catchUp: "Catch the snapshot up with the rows changed since the online copy, and prove it"
        case .prune: "Prune the heartbeat table to its newest row"
        case .backup: "Write the verified SQL backup from the snapshot, while the new OMS serves"
        case .snapshot: "Snapshot the metadata databases server-side for a fast rollback"
        case .startNew: "Start the new OMS container on the same mounts"
        case .initSchema: "Run the metadata init script (bash /root/docker_init.sh) in the new container"
        case .health: "Wait until the new OMS reports healthy"
        case .haOn: "Turn HA back on"
        case .rollbackCapture: "Remove the change-capture triggers of the online copy"
        case .rollbackStopNew: "Stop the new OMS container"
        case .rollbackData: "Put the pre-upgrade metadata back (snapshot swap or restore from the backup)"
        case .rollbackVerify: "Check the snapshot's row counts and checksums while the new OMS still serves"
        case .rollbackContainers: "Give the old container its name back and start it"
        case .rollbackHA: "Put HA back to its pre-upgrade state"
        case .rollbackHealth: "Wait until the old OMS reports healthy"
        }
    }

    /// Whether the service is down while this upgrade step runs.
    public var isDowntime: Bool {
        switch self {
        case .stopOld, .catchUp, .prune, .snapshot, .startNew, .initSchema, .health: true
        default: false
        }
    }
}
