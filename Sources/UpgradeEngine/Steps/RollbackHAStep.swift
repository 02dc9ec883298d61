/// Puts HA back to its pre-upgrade state.
struct RollbackHAStep: RunStep {
    let id = StepID.rollbackHA

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        try await HAOnStep.restore(context, state: state) ? ["haRestored": "true"] : ["haRestored": "false"]
    }
}
