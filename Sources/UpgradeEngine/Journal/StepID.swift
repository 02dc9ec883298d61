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

    /// The upgrade's steps in the order they run: those of ``StepSequence/production``.
    public static let upgradeSequence: [StepID] = StepSequence.production.upgrade.map(\.id)

    /// The rollback's steps in the order they run: those of ``StepSequence/production``.
    public static let rollbackSequence: [StepID] = StepSequence.production.rollback.map(\.id)

    /// A short sentence saying what the step does, for plans and summaries: the step's own.
    public var summary: String {
        guard let step = StepSequence.production.step(self) else {
            return "Snapshot the metadata databases server-side for a fast rollback"  // .snapshot, of earlier versions
        }
        return step.summary
    }

    /// Whether the service is down while this upgrade step runs (its phase is the outage).
    public var isDowntime: Bool {
        guard let step = StepSequence.production.step(self) else { return true }  // .snapshot ran in the downtime
        return step.phase == .outage
    }
}
