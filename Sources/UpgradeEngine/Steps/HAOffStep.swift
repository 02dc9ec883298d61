import MetaDB

/// Turns HA off when it is on, first noting its original text in the journal.
struct HAOffStep: RunStep {
    let id = StepID.haOff

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let databases = context.databases
        return try await context.withConnection { connection in
            // An earlier attempt may have switched HA off already: trust the noted original, not the row.
            let noted = state.record(.haOff)[.haOriginal]
            guard let current = try await HighAvailabilitySwitch.read(connection, rmDatabase: databases.rm) else {
                return JournalFact.facts([.haPresent: "false"])
            }
            let original = noted ?? current.rawValue
            if noted == nil {
                try context.journal.append(.note, step: id, facts: [.haOriginal: original])
            }
            guard HighAvailabilitySwitch.isEnabled(original) else {
                return JournalFact.facts([.haPresent: "true", .haWasEnabled: "false"])
            }
            if current.enabled {
                let disabled = try HighAvailabilitySwitch.rewrite(current.rawValue, enabled: false)
                try await HighAvailabilitySwitch.write(connection, rmDatabase: databases.rm, rawValue: disabled)
            }
            context.say("HA was on: switched it off for the upgrade (it is switched back on at the end).")
            return JournalFact.facts([.haPresent: "true", .haWasEnabled: "true"])
        }
    }
}
