import MetaDB

/// Puts `ha.config` back to its original text when HA was on before the upgrade.
struct HAOnStep: RunStep {
    let id = StepID.haOn

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        try await HAOnStep.restore(context, state: state) ? ["haRestored": "true"] : ["haRestored": "false"]
    }

    /// Writes back the original `ha.config` when HA was on; returns whether it wrote.
    static func restore(_ context: RunContext, state: JournalState) async throws -> Bool {
        let facts = state.record(.haOff).facts
        guard let original = facts["haOriginal"], HighAvailabilitySwitch.isEnabled(original) else { return false }
        let databases = try context.databases
        let connection = try await context.connect()
        defer { Task { await connection.close() } }
        try await HighAvailabilitySwitch.write(connection, rmDatabase: databases.rm, rawValue: original)
        context.say("HA switched back on.")
        return true
    }
}
