/// One idempotent step of an upgrade or a rollback.
///
/// `perform` may be called again after a crash at any point inside it: it must notice what an
/// earlier attempt already did (through the journal record and the live state) and finish the
/// job rather than redo it blindly. What it returns, a value of its own ``Result`` type, is
/// journaled as JSON with its `step-completed` entry (docs/JOURNAL.md lists the types).
///
/// A step describes itself (its summary and phase; by default those its ``StepID`` names) and
/// may act once before its first attempt (``beforeFirstAttempt(_:)``). The runner takes its steps
/// as a ``StepSequence``, so tests drive it with steps of their own.
protocol RunStep: Sendable {
    /// What the step returns when it completes.
    associatedtype Result: StepResult
    var id: StepID { get }
    /// A short sentence saying what the step does (the runner prints it as the step starts).
    var summary: String { get }
    /// Where the step runs: while the old OMS serves, in the outage, after, or in a rollback.
    var phase: StepPhase { get }
    /// Runs once, before the first attempt of the step (not when a resume re-enters it).
    func beforeFirstAttempt(_ context: RunContext) async
    func perform(_ context: RunContext, journal state: JournalState) async throws -> Result
}

extension RunStep {
    var summary: String { id.summary }

    var phase: StepPhase { StepPhase(id) }

    func beforeFirstAttempt(_ context: RunContext) async {}
}

/// Where a step runs: the upgrade's three phases, or the rollback.
enum StepPhase: String, Sendable, CaseIterable {
    case online, outage, after, rollback

    /// The phase of a step of the production sequences.
    init(_ id: StepID) {
        if StepID.rollbackSequence.contains(id) {
            self = .rollback
            return
        }
        switch id.phase {
        case .online: self = .online
        case .outage: self = .outage
        case .after: self = .after
        }
    }
}

/// The steps a runner runs: the upgrade's in order, and the rollback's.
struct StepSequence: Sendable {
    let upgrade: [any RunStep]
    let rollback: [any RunStep]

    /// The product's steps, in ``StepID/upgradeSequence`` and ``StepID/rollbackSequence`` order.
    static let production = StepSequence(
        upgrade: StepID.upgradeSequence.map(UpgradeRunner.step(for:)),
        rollback: StepID.rollbackSequence.map(UpgradeRunner.step(for:)))
}
