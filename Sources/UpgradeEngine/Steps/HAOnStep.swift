import MetaDB

/// Switches HA back on after the upgrade when it was on before.
///
/// The new release's init may have rewritten `ha.config` (new keys, new defaults), so only the
/// `enable` flag of the current row is set; the pre-upgrade text is put back only by a rollback.
struct HAOnStep: RunStep {
    let id = StepID.haOn

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        guard let original = state.record(.haOff)[.haOriginal], HighAvailabilitySwitch.isEnabled(original) else {
            return JournalFact.facts([.haRestored: "false"])
        }
        let rm = context.databases.rm
        return try await context.withConnection { connection in
            guard let current = try await HighAvailabilitySwitch.read(connection, rmDatabase: rm) else {
                throw EngineError.invalidState(
                    "the ha.config row is gone after the upgrade; switch HA on in the OMS console")
            }
            if !current.enabled {
                try await HighAvailabilitySwitch.write(
                    connection, rmDatabase: rm,
                    rawValue: try HighAvailabilitySwitch.rewrite(current.rawValue, enabled: true))
            }
            context.say("HA switched back on.")
            return JournalFact.facts([.haRestored: "true"])
        }
    }
}
