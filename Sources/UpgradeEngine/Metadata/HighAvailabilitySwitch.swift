import Foundation
import MetaDB

/// Reads and flips OMS's HA switches: the `enable` keys of the JSON in `oms_normal_config`'s `ha.config` row.
///
/// Newer OMS releases must have HA off during an upgrade (OceanBase's deployer refuses an upgrade
/// while any key of `ha.config` whose name contains `enable` is true). The rule is
/// ``HAConfigText``'s; the original text is kept so that a rollback puts it back exactly.
public enum HighAvailabilitySwitch {
    /// The `ha.config` row as stored: its raw JSON text and the keys that hold HA on.
    public struct State: Sendable, Equatable {
        public var rawValue: String
        /// The top-level keys naming `enable` that hold a true value; empty when HA is off.
        public var enabledKeys: [String]
        /// Whether HA is on.
        public var enabled: Bool { !enabledKeys.isEmpty }
    }

    /// Reads `ha.config`; nil when the table or the row does not exist (older OMS).
    ///
    /// Throws ``HAConfigError`` when the row is not one JSON object: HA's state is then unknown, never "off".
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
        return State(rawValue: raw, enabledKeys: try HAConfigText(raw).enabledKeys)
    }

    /// The keys that hold HA on in `raw`; empty when it is off or cannot be parsed.
    public static func enabledKeys(_ raw: String) -> [String] {
        (try? HAConfigText(raw))?.enabledKeys ?? []
    }

    /// Whether HA is on in `raw` (text that cannot be parsed: false; preflight refuses such text first).
    public static func isEnabled(_ raw: String) -> Bool { !enabledKeys(raw).isEmpty }

    /// Writes `rawValue` into the `ha.config` row.
    public static func write(_ connection: AsyncConnection, rmDatabase: String, rawValue: String) async throws {
        let table = SQL.qualified(rmDatabase, "oms_normal_config")
        _ = try await connection.execute(
            "UPDATE \(table) SET cfg_value = \(SQL.quoteString(rawValue)) WHERE cfg_name = 'ha.config'")
    }

    /// The SQL a person would run to set `keys` off (false) or on (true), for the plan's manual commands.
    public static func manualStatement(rmDatabase: String, keys: [String], enabled: Bool) -> String {
        let paths = (keys.isEmpty ? ["enable"] : keys).map { key in
            let path = "$." + HAConfigText.jsonString(key)
            return "\(ManualCommands.literal(path)), \(enabled ? "true" : "false")"
        }
        return "UPDATE \(SQL.qualified(rmDatabase, "oms_normal_config")) SET cfg_value = JSON_SET(cfg_value, "
            + paths.joined(separator: ", ") + ") WHERE cfg_name = 'ha.config';"
    }
}
