import MetaDB

/// Puts `ha.config` back exactly as it was before the upgrade, when the upgrade switched HA off.
struct RollbackHAStep: RunStep {
    let id = StepID.rollbackHA

    func perform(_ context: RunContext, journal state: JournalState) async throws -> RollbackHAResult {
        guard let original = state.record(.haOff)[.haOriginal], !HAKeys.switched(state).isEmpty else {
            return RollbackHAResult(restored: false)
        }
        return try await context.withConnection { connection in
            try await HighAvailabilitySwitch.write(connection, rmDatabase: context.databases.rm, rawValue: original)
            context.say("HA is back on, as before the upgrade.")
            return RollbackHAResult(restored: true)
        }
    }
}

extension RollbackHAStep {
    var summary: String { "Put HA back to its pre-upgrade state" }

    var phase: StepPhase { .rollback }
}
