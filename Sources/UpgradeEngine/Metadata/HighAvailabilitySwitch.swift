import Foundation
import MetaDB

/// Reads and flips OMS's HA flag: the `enable` key of the JSON in `oms_normal_config`'s `ha.config` row.
///
/// Newer OMS releases must have HA off during an upgrade (OceanBase's deployer refuses a
/// multi-node upgrade while it is on). The original text is kept so that it can be put back
/// exactly, not re-serialized.
public enum HighAvailabilitySwitch {
    /// The `ha.config` row as stored: its raw JSON text and whether HA is on.
    public struct State: Sendable, Equatable {
        public var rawValue: String
        public var enabled: Bool
    }

    /// Reads `ha.config`; nil when the table or the row does not exist (older OMS).
    public static func read(_ connection: AsyncConnection, rmDatabase: String) async throws -> State? {
        let table = SQL.qualified(rmDatabase, "oms_normal_config")
        let exists = try await connection.scalar(
            """
            SELECT COUNT(*) FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = \(SQL.quoteString(rmDatabase)) AND TABLE_NAME = 'oms_normal_config'
            """)
        guard exists.int64 == 1 else { return nil }
        let value = try await connection.scalar("SELECT cfg_value FROM \(table) WHERE cfg_name = 'ha.config'")
        guard let raw = value.string else { return nil }
        return State(rawValue: raw, enabled: isEnabled(raw))
    }

    /// Whether the JSON text says `"enable": true` (unparseable text counts as off).
    public static func isEnabled(_ raw: String) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any] else {
            return false
        }
        if let flag = object["enable"] as? Bool { return flag }
        if let text = object["enable"] as? String { return text.lowercased() == "true" }
        return false
    }

    /// The JSON text with `enable` set to `enabled`, every other key kept.
    public static func rewrite(_ raw: String, enabled: Bool) throws -> String {
        guard var object = try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any] else {
            throw EngineError.invalidState(
                "ha.config in oms_normal_config is not a JSON object, so HA cannot be switched; fix the row or switch HA off in the OMS console"
            )
        }
        object["enable"] = enabled
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `rawValue` into the `ha.config` row.
    public static func write(_ connection: AsyncConnection, rmDatabase: String, rawValue: String) async throws {
        let table = SQL.qualified(rmDatabase, "oms_normal_config")
        _ = try await connection.execute(
            "UPDATE \(table) SET cfg_value = \(SQL.quoteString(rawValue)) WHERE cfg_name = 'ha.config'")
    }

    /// The SQL a person would run to set the flag, for the plan's manual commands.
    public static func manualStatement(rmDatabase: String, enabled: Bool) -> String {
        "UPDATE \(SQL.qualified(rmDatabase, "oms_normal_config")) SET cfg_value = JSON_SET(cfg_value, '$.enable', \(enabled ? "true" : "false")) WHERE cfg_name = 'ha.config';"
    }
}
