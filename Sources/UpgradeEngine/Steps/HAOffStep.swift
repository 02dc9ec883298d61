import Foundation
import MetaDB

/// Turns HA off when it is on, first noting its original text in the journal.
///
/// Sets exactly the keys that hold HA on (``HAConfigText/enabledKeys``) to false and journals which.
struct HAOffStep: RunStep {
    let id = StepID.haOff

    func perform(_ context: RunContext, journal state: JournalState) async throws -> HAOffResult {
        let databases = context.databases
        return try await context.withConnection { connection in
            // An earlier attempt may have switched HA off already: trust the noted original, not the row.
            let noted = state.record(.haOff)[.haOriginal]
            guard let current = try await HighAvailabilitySwitch.read(connection, rmDatabase: databases.rm) else {
                return HAOffResult(present: false, wasEnabled: false)
            }
            let original = noted ?? current.rawValue
            let keys = try HAConfigText(original).enabledKeys
            if noted == nil {
                try context.journal.append(.note, step: id, facts: [.haOriginal: original])
            }
            guard !keys.isEmpty else {
                return HAOffResult(present: true, wasEnabled: false)
            }
            let keysText = HAKeys.encode(keys)
            try context.journal.append(.note, step: id, facts: [.haKeys: keysText])
            if current.enabled {
                let disabled = try HAConfigText(current.rawValue).switchingOff(keys)
                try await HighAvailabilitySwitch.write(connection, rmDatabase: databases.rm, rawValue: disabled)
            }
            context.say(
                "HA was on (\(keys.joined(separator: ", "))): switched off for the upgrade (switched back on at the end)."
            )
            return HAOffResult(present: true, wasEnabled: true, keys: keys)
        }
    }
}

/// The journal's text for a list of `ha.config` keys: a JSON array of strings.
enum HAKeys {
    static func encode(_ keys: [String]) -> String {
        "[" + keys.map(HAConfigText.jsonString).joined(separator: ",") + "]"
    }

    /// The keys of a journal's text, nil when there is none or it is not a JSON array of strings.
    static func decode(_ text: String?) -> [String]? {
        guard let text else { return nil }
        return try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    /// The keys noted by ha-off; when none were noted (an older journal), the original's enabled keys.
    static func switched(_ state: JournalState) -> [String] {
        let record = state.record(.haOff)
        if let keys = decode(record[.haKeys]) { return keys }
        return record[.haOriginal].map(HighAvailabilitySwitch.enabledKeys) ?? []
    }
}

extension HAOffStep {
    var summary: String { "Turn HA off in oms_normal_config (ha.config)" }

    var phase: StepPhase { .online }

    /// Skipped when HA is not on: there is nothing to switch.
    func skipReason(_ conditions: StepConditions) -> String? {
        conditions.haEnabled == true ? nil : "HA is not on"
    }

    /// Sets the keys that hold HA on to false.
    func manualCommands(_ manual: ManualCommands, node: ManualCommands.Node) -> [String] {
        [
            manual.client(
                HighAvailabilitySwitch.manualStatement(
                    rmDatabase: manual.databases.rm, keys: manual.haKeys, enabled: false))
        ]
    }
}
