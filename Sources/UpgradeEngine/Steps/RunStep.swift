import Containers

/// One idempotent step of an upgrade or a rollback, and everything said about it.
///
/// `perform` may be called again after a crash at any point inside it: it must notice what an
/// earlier attempt already did (through the journal record and the live state) and finish the
/// job rather than redo it blindly. What it returns, a value of its own ``Result`` type, is
/// journaled as JSON with its `step-completed` entry (docs/JOURNAL.md lists the types).
///
/// A step describes itself: its summary and phase (which plans, progress, `status` and the report
/// show), when a plan skips it (``skipReason(_:)``), what a person would type to do it by hand
/// (``manualCommands(_:node:)``), and may act once before its first attempt
/// (``beforeFirstAttempt(_:)``). The runner takes its steps as a ``StepSequence``, and plans,
/// manual commands and ``StepID``'s descriptions read the same ``StepSequence/production``, so
/// adding a step touches its own file, its ``StepID`` case (its name in the journal) and the sequence.
protocol RunStep: Sendable {
    /// What the step returns when it completes.
    associatedtype Result: StepResult
    var id: StepID { get }
    /// A short sentence saying what the step does (the runner prints it as the step starts).
    var summary: String { get }
    /// The same said for every node of a multi-node run (by default ``summary``).
    var multiNodeSummary: String { get }
    /// Where the step runs: while the old OMS serves, in the outage, after, or in a rollback.
    var phase: StepPhase { get }
    /// Why a plan made under `conditions` skips the step; nil when it runs (by default it always runs).
    func skipReason(_ conditions: StepConditions) -> String?
    /// The shell commands a person would type to do the step by hand on `node`, built only from
    /// `manual`'s quoting helpers; empty when the step has none (the rollback's steps).
    func manualCommands(_ manual: ManualCommands, node: ManualCommands.Node) -> [String]
    /// Runs once, before the first attempt of the step (not when a resume re-enters it).
    func beforeFirstAttempt(_ context: RunContext) async
    func perform(_ context: RunContext, journal state: JournalState) async throws -> Result
}

extension RunStep {
    var multiNodeSummary: String { summary }

    func skipReason(_ conditions: StepConditions) -> String? { nil }

    func manualCommands(_ manual: ManualCommands, node: ManualCommands.Node) -> [String] { [] }

    func beforeFirstAttempt(_ context: RunContext) async {}
}

/// Where a step runs: the upgrade's three phases, or the rollback.
enum StepPhase: String, Sendable, CaseIterable {
    case online, outage, after, rollback
}

/// What a plan found that decides whether a step runs (see ``RunStep/skipReason(_:)``).
struct StepConditions: Sendable {
    /// Whether HA is on (nil when `oms_normal_config` has no ha.config row, or it could not be read).
    var haEnabled: Bool?
}

/// The steps a runner runs: the upgrade's in order, and the rollback's.
struct StepSequence: Sendable {
    let upgrade: [any RunStep]
    let rollback: [any RunStep]

    /// The product's steps, in the order they run.
    ///
    /// While the old OMS serves: pre-prune, HA off, the online copy with change capture. Downtime:
    /// stop, catch-up (work proportional to the rows changed since the copy), prune, start, init,
    /// health. After, with the new OMS serving: the backup files from the static snapshot, HA on.
    /// The rollback verifies the snapshot before the new container stops: its outage is stop,
    /// swap, start.
    static let production = StepSequence(
        upgrade: [
            PrePruneStep(), HAOffStep(), OnlineCopyStep(), StopOldStep(), CatchUpStep(), PruneStep(), StartNewStep(),
            InitStep(), HealthStep(), BackupStep(), HAOnStep(),
        ],
        rollback: [
            RollbackCaptureStep(), RollbackVerifyStep(), RollbackStopNewStep(), RollbackDataStep(), RollbackHAStep(),
            RollbackContainersStep(), RollbackHealthStep(),
        ])

    /// The step named `id`, upgrade or rollback; nil for a step in neither (``StepID/snapshot``).
    func step(_ id: StepID) -> (any RunStep)? {
        upgrade.first { $0.id == id } ?? rollback.first { $0.id == id }
    }
}
