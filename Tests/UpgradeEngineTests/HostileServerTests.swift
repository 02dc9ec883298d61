import Foundation
import SandboxSupport
import Testing

/// Apply and rollback against a metadata server whose global settings are hostile (a private server, never
/// the shared one): `sql_mode` with `NO_BACKSLASH_ESCAPES` and `ANSI_QUOTES`, and a two-second `wait_timeout`.
@Suite("Hostile server settings", .integration, .tags(.mariadb, .docker))
struct HostileServerTests {
    static let hostileArguments = [
        "--sql-mode=NO_BACKSLASH_ESCAPES,ANSI_QUOTES,STRICT_ALL_TABLES,ONLY_FULL_GROUP_BY,NO_ZERO_DATE",
        "--wait-timeout=2", "--interactive-timeout=2",
    ]

    /// A fixture deployment whose metadata lives on `server`.
    static func deploy(on server: PrivateMySQLServer) throws -> UpgradeScenario {
        let deployment = try Sandbox.deployFixture(
            heartbeatRows: 500, projectRows: 20,
            extraArgs: [
                "--meta-host", "127.0.0.1", "--meta-port", String(server.port), "--meta-user", server.user,
                "--meta-password-file", server.passwordFile.path,
            ])
        return UpgradeScenario(
            deployment: deployment, workDir: try Sandbox.makePrivateTempDirectory(),
            newName: Sandbox.uniqueName("oms_new"))
    }

    /// `ha.config` as stored, in hex (byte for byte, whatever the client's escaping).
    static func haConfigHex(_ server: PrivateMySQLServer, _ rm: String) throws -> String {
        try server.account.scalar(
            "SELECT HEX(cfg_value) FROM \(SandboxMySQL.quoteIdentifier(rm)).oms_normal_config "
                + "WHERE cfg_name = 'ha.config'") ?? ""
    }

    static func text(hex: String) -> String {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("apply and rollback keep ha.config byte for byte under NO_BACKSLASH_ESCAPES, ANSI_QUOTES and wait_timeout=2")
    func applyAndRollbackUnderHostileGlobals() throws {
        let server = try PrivateMySQLServer(serverArguments: Self.hostileArguments)
        defer { server.remove() }
        let scenario = try Self.deploy(on: server)
        defer { scenario.cleanup() }
        let rm = scenario.deployment.rmDatabase
        // HA on, with text a wrong escape would change: a quote, a backslash, a non-ASCII letter.
        let original = #"{"enable": true, "note": "C:\\oms \"ha\" é", "perceiveStoreClientCheckIntervalSeconds": 30}"#
        try server.account.query(
            "SET SESSION sql_mode = ''; UPDATE \(SandboxMySQL.quoteIdentifier(rm)).oms_normal_config "
                + "SET cfg_value = 0x\(Data(original.utf8).map { String(format: "%02x", $0) }.joined()) "
                + "WHERE cfg_name = 'ha.config'")
        let before = try Self.haConfigHex(server, rm)
        #expect(Self.text(hex: before) == original)
        // Init sleeps longer than wait_timeout: connections idle across it must survive or be re-opened.
        try scenario.deployment.setFlag(".fixture-init-sleep", contents: "4")

        let applied = try scenario.apply()
        #expect(applied.status == 0, "\(applied)")
        let after = Self.text(hex: try Self.haConfigHex(server, rm))
        let json = try JSONSerialization.jsonObject(with: Data(after.utf8)) as? [String: Any]
        #expect(json?["enable"] as? Bool == true, "ha.config after the upgrade: \(after)")
        #expect(json?["note"] as? String == #"C:\oms "ha" é"#, "ha.config after the upgrade: \(after)")

        let rolledBack = try scenario.rollback()
        #expect(rolledBack.status == 0, "\(rolledBack)")
        #expect(try Self.haConfigHex(server, rm) == before, "the rollback puts ha.config back byte for byte")
    }
}
