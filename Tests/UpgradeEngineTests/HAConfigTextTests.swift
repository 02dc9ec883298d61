import Foundation
import Testing

@testable import UpgradeEngine

@Suite("ha.config as OBD reads it")
struct HAConfigTextTests {
    @Test(
        "HA is on when any key naming enable holds true, \"true\" or a non-zero number",
        arguments: [
            (#"{"enable": true}"#, ["enable"]),
            (#"{"enable": false}"#, []),
            (#"{"enable": "true"}"#, ["enable"]),
            (#"{"enable": "TRUE"}"#, ["enable"]),
            (#"{"enable": "false"}"#, []),
            (#"{"enable": 1}"#, ["enable"]),
            (#"{"enable": 0}"#, []),
            (#"{"enable": 0.0, "x": 1}"#, []),
            (
                #"{"enable": false, "enableOmsHa": true, "enable_store": 2, "ha_enabled": "true"}"#,
                ["enableOmsHa", "enable_store", "ha_enabled"]
            ),
            (#"{"perceiveStoreClientCheckIntervalMinutes": 1, "enable": null}"#, []),
            (#"{"nested": {"enable": true}}"#, []),
            ("{}", []),
        ])
    func enabledKeys(_ text: String, _ keys: [String]) throws {
        let config = try HAConfigText(text)
        #expect(config.enabledKeys == keys)
        #expect(config.isEnabled == !keys.isEmpty)
    }

    @Test(
        "text that is not one JSON object is refused with its reason, never read as off",
        arguments: [
            "", "enable=true", "[true]", #"{"enable": true"#, #"{"enable": tru}"#, #"{"a": 1} x"#, "null",
            #"{"enable": 01}"#,
        ])
    func refused(_ text: String) {
        #expect(throws: HAConfigError.self) { try HAConfigText(text) }
    }

    @Test("the refusal shows the text with secrets masked, and a remedy")
    func refusalMasksSecrets() {
        let text = #"{"enable": true, "metaPassword": "s3cr3t", token=abc123, "x": 1"#
        do {
            _ = try HAConfigText(text)
            Issue.record("parsed")
        } catch {
            let message = error.description
            #expect(!message.contains("s3cr3t") && !message.contains("abc123"), "\(message)")
            #expect(message.contains("\"enable\": true") && message.contains("OMS console"))
        }
    }

    @Test("switching off sets exactly the enabled keys to false; the rest byte for byte")
    func switchingOff() throws {
        let text =
            "{ \"enable\" : true,\n  \"enableStore\": \"true\", \"enable_x\": 3, \"enableY\": false, \"z\": [1, {\"a\":true}] }"
        let config = try HAConfigText(text)
        let off = config.switchingOff(config.enabledKeys)
        #expect(
            off
                == "{ \"enable\" : false,\n  \"enableStore\": false, \"enable_x\": false, \"enableY\": false, \"z\": [1, {\"a\":true}] }"
        )
        #expect(try HAConfigText(off).enabledKeys.isEmpty)
    }

    @Test("switching on sets exactly those keys back to their original values, in a rewritten row too")
    func restoring() throws {
        let original = try HAConfigText(#"{"enable":true,"enableStore":"true","enable_x":3,"other":false}"#)
        let keys = original.enabledKeys
        let off = try HAConfigText(original.switchingOff(keys))
        #expect(off.restoring(keys, from: original) == original.raw)
        // The new release's init rewrote the row: a new key, one of the old ones gone, other spacing.
        let rewritten = try HAConfigText(#"{ "enable": false, "enable_x": false, "newKey": "v", "enableNew": false }"#)
        let on = try HAConfigText(rewritten.restoring(keys, from: original))
        #expect(on.enabledKeys == ["enable", "enable_x", "enableStore"])
        #expect(on.raw.hasPrefix(#"{ "enable": true, "enable_x": 3, "newKey": "v", "enableNew": false"#))
    }

    @Test("escaped key names decode, and a key is written back escaped")
    func escapedKeys() throws {
        let config = try HAConfigText(#"{"en\u0061ble": true, "a\"enable": 1}"#)
        #expect(config.enabledKeys == ["enable", "a\"enable"])
        let empty = try HAConfigText("{}")
        let restored = try HAConfigText(empty.restoring(config.enabledKeys, from: config))
        #expect(restored.enabledKeys == ["enable", "a\"enable"])
    }

    @Test("the manual statement sets every key the plan found")
    func manualStatement() {
        let sql = HighAvailabilitySwitch.manualStatement(
            rmDatabase: "rm", keys: ["enable", "enableStore"], enabled: false)
        #expect(sql.hasPrefix("UPDATE `rm`.`oms_normal_config` SET cfg_value = JSON_SET(cfg_value, "))
        #expect(sql.components(separatedBy: ", false").count == 3)
    }
}
