/// The name of one fact a journal entry records, typed so that a misspelt key cannot compile.
///
/// Facts are stored in the journal as a JSON object of strings (`"facts": {"haOriginal": "…"}`),
/// so the raw values below are the journal's on-disk format: never rename one (old journals
/// would lose it). The whole format is described in `docs/JOURNAL.md`.
///
/// Today facts are what notes and `run-started` record; a step's result is a typed value
/// (``StepResult``). The cases for results are the names under which earlier versions recorded
/// them, read only by the result types' `init(legacyFacts:)`.
public enum JournalFact: String, Codable, Sendable, CaseIterable {
    // Run facts (written with `run-started`, or as a note without a step).
    /// The old container's name at plan time.
    case oldContainer
    /// The new image.
    case image
    /// The new container's name.
    case newContainer
    /// `"true"` or `"false"`: whether a failed step rolls back on its own. Read by `resume`.
    case autoRollback
    /// The deployment the run belongs to (see ``DeploymentKey``). Read by run selection.
    case deploymentKey
    /// Comma-separated databases `cleanup` dropped.
    case cleanedUp
    /// The signal that interrupted the run (`SIGINT`, `SIGTERM`), noted with `interrupted`.
    case signal

    // ha-off / ha-on / rollback-ha.
    /// `ha.config`'s text before the upgrade, noted by ha-off BEFORE it changes the row; read
    /// by ha-on and rollback-ha. The first value noted is the original: it is never replaced.
    case haOriginal
    case haPresent
    case haWasEnabled
    case haRestored
    /// The `ha.config` keys ha-off switched off, a JSON array of strings, noted before it writes;
    /// read by ha-on (which sets exactly these back) and rollback-ha.
    case haKeys

    // Container steps.
    case oldContainerID
    case newContainerID
    case oldRenamedTo
    case newRenamedTo
    case healthURL

    // Data steps.
    case rowsDeleted
    case keptID
    /// `prunedBelow@<heartbeat database>`: the online pre-prune deleted every row below this id;
    /// read by the prune in the outage, which then touches only the rows from it up.
    case prunedBelow
    case strategy
    /// The run's verified backup folder; read by `status` and the rollback.
    case backupDirectory
    case backupRows
    /// What the backup holds besides tables, e.g. "1 view, 1 trigger, 1 procedure"; read by `status`.
    case backupObjects
    /// Tables in the backup; read by `status`.
    case backupTables
    case dumper
    case snapshotLabel
    /// Comma-separated snapshot databases; read by `status`.
    case snapshotDatabases
    /// The snapshot generation in force, noted by a re-entered init before it takes the next
    /// generation; read by the init step and the rollback. The newest value noted wins.
    case snapshotGeneration
    case initExitCode
    /// Comma-separated IPs init ran on, in order (multi-node runs).
    case initNodes
    /// The label of the online copy's change capture, noted before any trigger exists.
    case captureLabel
    case rowsCopiedOnline
    case capturedTables
    /// Tables the online copy left to be copied whole at the stop.
    case copiedAtStop
    case changedRows
    case copiedWhole
    case triggersDropped
    /// Views, triggers, routines and events captured from the live databases at the stop.
    case objectsCaptured

    // Rollback steps.
    /// `nothing`, `snapshot` or `backup`; read by rollback-verify.
    case restoredFrom
    case quarantineDatabases
    case checked
    case tables
    /// Comma-separated IPs of nodes a rollback step could not reach (multi-node runs); a rollback
    /// re-runs such a step until every node is done.
    case unfinishedNodes

    /// Whether a later note of this fact must leave the first value in place.
    ///
    /// Only `haOriginal`: a second ha-off attempt reads the row it already switched off, and
    /// must not take that for the original. Every other fact is superseded by a newer note.
    public var keepsFirstValue: Bool { self == .haOriginal }

    /// A journal facts dictionary from typed keys.
    public static func facts(_ values: [JournalFact: String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
    }
}

extension JournalState.StepRecord {
    /// The value of `fact` as the journal recorded it for this step, nil when never recorded.
    public subscript(fact: JournalFact) -> String? { facts[fact.rawValue] }
}

extension JournalState {
    /// The value of a run fact (`run-started` or a note without a step), nil when never recorded.
    public func runFact(_ fact: JournalFact) -> String? { runFacts[fact.rawValue] }
}
