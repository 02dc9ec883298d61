import Foundation
import SandboxSupport
import Testing

/// HA switched off for the upgrade and back on after; an upgrade that keeps the old container's name.
@Suite("HA and container naming", .integration, .tags(.mariadb, .docker))
struct HAAndNamingTests {
    private func haConfig(_ scenario: UpgradeScenario) throws -> String {
        try Sandbox.mysql().scalar(
            "SELECT cfg_value FROM \(SandboxMySQL.quoteIdentifier(scenario.deployment.rmDatabase)).oms_normal_config WHERE cfg_name = 'ha.config'"
        ) ?? ""
    }

    private func setHA(_ scenario: UpgradeScenario, enabled: Bool) throws {
        _ = try Sandbox.mysql().query(
            "UPDATE \(SandboxMySQL.quoteIdentifier(scenario.deployment.rmDatabase)).oms_normal_config SET cfg_value = JSON_SET(cfg_value, '$.enable', \(enabled ? "true" : "false")) WHERE cfg_name = 'ha.config'"
        )
    }

    @Test("HA on before: off during the upgrade, on after it; a rollback puts the original row back")
    func haOffAndOn() throws {
        let scenario = try UpgradeScenario()
        defer { scenario.cleanup() }
        try setHA(scenario, enabled: true)
        let original = try haConfig(scenario)

        let plan = try CLI.run([
            "plan", "--container", scenario.deployment.containerName, "--image", Sandbox.fixtureImage("3.3.0"),
            "--name", scenario.newName, "--work-dir", scenario.workDir.path,
        ])
        #expect(plan.stdout.contains("HA is on"), "\(plan)")

        let result = try scenario.apply()
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("switched off for the upgrade"), "\(result)")
        let after = try haConfig(scenario)
        #expect(
            after.contains("\"enable\": true") || after.contains("\"enable\":true"),
            "HA is on after the upgrade: \(after)")
        let snapshotHA = try Sandbox.mysql().rows(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE \(SandboxMySQL.quoteString(scenario.deployment.rmDatabase.replacingOccurrences(of: "_", with: "\\_") + "\\_\\_pre%"))"
        )
        #expect(!snapshotHA.isEmpty)

        let rollback = try scenario.rollback()
        #expect(rollback.status == 0, "\(rollback)")
        #expect(try haConfig(scenario) == original, "the rollback puts the pre-upgrade ha.config back exactly")
    }

    private func setHAText(_ scenario: UpgradeScenario, _ text: String) throws {
        _ = try Sandbox.mysql().query(
            "UPDATE \(SandboxMySQL.quoteIdentifier(scenario.deployment.rmDatabase)).oms_normal_config SET cfg_value = \(SandboxMySQL.quoteString(text)) WHERE cfg_name = 'ha.config'"
        )
    }

    @Test(
        "HA as OBD sees it: every true key naming enable is switched off, exactly those back on, rollback byte for byte"
    )
    func obdRule() throws {
        let scenario = try UpgradeScenario()
        defer { scenario.cleanup() }
        let original =
            #"{"enable": false,  "enableStoreHa" : "true", "enable_x": 2, "note": "keep me", "enableY": false}"#
        try setHAText(scenario, original)

        let plan = try CLI.run([
            "plan", "--container", scenario.deployment.containerName, "--image", Sandbox.fixtureImage("3.3.0"),
            "--name", scenario.newName, "--work-dir", scenario.workDir.path,
        ])
        #expect(plan.status == 0 && plan.stdout.contains("HA is on (enableStoreHa, enable_x)"), "\(plan)")
        #expect(plan.stdout.contains("\"$.enableStoreHa\"") || plan.stdout.contains("enableStoreHa"), "\(plan)")

        let result = try scenario.apply()
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("HA was on (enableStoreHa, enable_x)"), "\(result)")
        let noted = scenario.journal().compactMap { ($0["facts"] as? [String: String])?["haKeys"] }
        #expect(noted.contains(#"["enableStoreHa","enable_x"]"#), "ha-off journals which keys it switched: \(noted)")
        let after = try haConfig(scenario)
        // The new release's init rewrote the row (a key of its own, its own spacing): ha-on set back exactly the two keys.
        #expect(
            after.contains(#""enableStoreHa": "true""#) && after.contains(#""enable_x": 2"#)
                && after.contains(#""enable": false"#) && after.contains(#""enableY": false"#),
            "ha-on sets exactly the switched keys back: \(after)")

        let rollback = try scenario.rollback()
        #expect(rollback.status == 0, "\(rollback)")
        #expect(try haConfig(scenario) == original, "the rollback puts the pre-upgrade ha.config back exactly")
    }

    @Test("a ha.config that is not one JSON object fails preflight with its text, secrets masked; nothing changes")
    func unreadableHAConfig() throws {
        let scenario = try UpgradeScenario()
        defer { scenario.cleanup() }
        let text = #"{"enable": true, "adminPassword": "hunter2-secret", "#
        try setHAText(scenario, text)
        let result = try scenario.apply()
        #expect(result.status == 1, "\(result)")
        let output = result.stdout + result.stderr
        #expect(output.contains("ha.config") && output.contains("cannot be read as a JSON object"), "\(result)")
        #expect(output.contains(#""enable": true"#) && !output.contains("hunter2-secret"), "\(result)")
        #expect(output.contains("OMS console"), "a remedy: \(result)")
        #expect(try scenario.deployment.isRunning(), "the old OMS still runs")
        #expect(try haConfig(scenario) == text, "the row is untouched")
    }

    @Test("the new container takes the old one's name: the old one is renamed aside, and back on rollback")
    func sameName() throws {
        let scenario = try UpgradeScenario()
        defer { scenario.cleanup() }
        let old = scenario.deployment.containerName
        let oldID = try Sandbox.runChecked("docker", ["inspect", "--format", "{{.Id}}", old]).trimmingCharacters(
            in: .whitespacesAndNewlines)
        var arguments = scenario.applyArguments()
        arguments[arguments.firstIndex(of: "--name")! + 1] = old

        let plan = try CLI.run([
            "plan", "--container", old, "--image", Sandbox.fixtureImage("3.3.0"), "--name", old,
            "--work-dir", scenario.workDir.path, "--json",
        ])
        #expect(plan.status == 0, "\(plan)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let aside = try #require((json["nodes"] as? [[String: Any]])?.first?["renameOldTo"] as? String)
        defer { _ = try? Sandbox.run("docker", ["rm", "-f", aside]) }

        let result = try CLI.run(arguments)
        #expect(result.status == 0, "\(result)")
        let nowNamedOld = try Sandbox.runChecked("docker", ["inspect", "--format", "{{.Id}}", old]).trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(nowNamedOld != oldID, "the new container carries the old name")
        let asideID = try Sandbox.runChecked("docker", ["inspect", "--format", "{{.Id}}", aside]).trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(asideID == oldID, "the old container is kept under \(aside)")

        let rollback = try scenario.rollback()
        #expect(rollback.status == 0, "\(rollback)")
        let restored = try Sandbox.runChecked("docker", ["inspect", "--format", "{{.Id}} {{.State.Running}}", old])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(restored == "\(oldID) true", "the old container has its name back and runs")
        let failed = try Sandbox.runChecked("docker", ["ps", "-a", "--format", "{{.Names}}"]).split(separator: "\n")
            .filter { $0.hasPrefix("\(old)_failed_") }
        #expect(failed.count == 1, "the failed new container is kept aside: \(failed)")
        for name in failed { _ = try? Sandbox.run("docker", ["rm", "-f", String(name)]) }
    }
}
