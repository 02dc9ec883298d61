import MetaDB

/// Switches HA back on after the upgrade when it was on before.
///
/// The new release's init may have rewritten `ha.config` (new keys, new defaults), so only the keys
/// ha-off switched off are set back to their original values in the current row; the pre-upgrade
/// text is put back whole only by a rollback.
struct HAOnStep: RunStep {
    let id = StepID.haOn

    func perform(_ context: RunContext, journal state: JournalState) async throws -> HAOnResult {
        let keys = HAKeys.switched(state)
        guard let originalText = state.record(.haOff)[.haOriginal], !keys.isEmpty else {
            return HAOnResult(restored: false)
        }
        let original = try HAConfigText(originalText)
        let rm = context.databases.rm
        return try await context.withConnection { connection in
            guard let current = try await HighAvailabilitySwitch.read(connection, rmDatabase: rm) else {
                throw EngineError.invalidState(
                    "the ha.config row is gone after the upgrade; switch HA on in the OMS console")
            }
            let restored = try HAConfigText(current.rawValue).restoring(keys, from: original)
            if restored != current.rawValue {
                try await HighAvailabilitySwitch.write(connection, rmDatabase: rm, rawValue: restored)
            }
            context.say("HA switched back on (\(keys.joined(separator: ", "))).")
            return HAOnResult(restored: true, keys: keys)
        }
    }
}

extension HAOnStep {
    var summary: String { "Turn HA back on" }

    var phase: StepPhase { .after }

    /// Skipped when HA is not on: there is nothing to switch.
    func skipReason(_ conditions: StepConditions) -> String? {
        conditions.haEnabled == true ? nil : "HA is not on"
    }

    /// Sets the keys ha-off switched back to true.
    func manualCommands(_ manual: ManualCommands, node: ManualCommands.Node) -> [String] {
        [
            manual.client(
                HighAvailabilitySwitch.manualStatement(
                    rmDatabase: manual.databases.rm, keys: manual.haKeys, enabled: true))
        ]
    }
}
