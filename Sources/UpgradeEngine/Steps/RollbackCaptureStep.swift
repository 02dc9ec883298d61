import MetaDump
import OnlineCopy

/// Removes the online copy's change-capture triggers from the live tables, whatever point the
/// upgrade reached (they are gone after the catch-up; after a crash they may still be there).
struct RollbackCaptureStep: RunStep {
    let id = StepID.rollbackCapture

    func perform(_ context: RunContext, journal state: JournalState) async throws -> RollbackCaptureResult {
        guard state.didStart(.onlineCopy) else { return RollbackCaptureResult(triggersDropped: 0) }
        let label = SnapshotOperations.label(context, generation: 1)
        let dropped = try await Snapshot(server: context.metaOptions, progress: context.reporter)
            .removeCapture(databases: context.databases.all, label: label)
        if dropped > 0 { context.say("Removed \(dropped) change-capture triggers.") }
        return RollbackCaptureResult(triggersDropped: dropped)
    }
}

extension RollbackCaptureStep {
    var summary: String { "Remove the change-capture triggers of the online copy" }

    var phase: StepPhase { .rollback }
}
