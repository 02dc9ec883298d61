import Foundation
import SandboxSupport
import Testing

/// Bad inputs to `oms-upgrade plan`: each gives one clear message, exit 1, and no change at all.
@Suite("plan refuses bad input without changing anything", .integration, .tags(.mariadb, .docker))
struct PlanBadInputTests {
    /// One way of getting the input wrong, and the words the error must contain.
    enum BadInput: String, CaseIterable, CustomTestStringConvertible {
        case unknownContainer, noConfigBind, malformedYAML, missingKey, wrongPassword, databaseDown
        case imageMissing, certificateWithoutKey, keyNotMatchingCertificate, missingMountSource
        case unwritableWorkDir, unsupportedRoute, missingDatabase

        var testDescription: String { rawValue }
    }

    @Test("bad input is refused", arguments: BadInput.allCases)
    func refuses(_ input: BadInput) throws {
        let deployment = try Sandbox.deployFixture(heartbeatRows: 200, projectRows: 20)
        var extraContainers: [String] = []
        defer { deployment.removeAll(extraContainers: extraContainers) }
        let workDir = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: workDir) }
        let maxID = try DataFingerprint.heartbeatMaxID(deployment)
        let before = try DataFingerprint.take(deployment, heartbeatUpTo: maxID)
        let originalConfig = try String(contentsOf: deployment.configPath, encoding: .utf8)
        defer { try? originalConfig.write(to: deployment.configPath, atomically: false, encoding: .utf8) }

        var container = deployment.containerName
        var arguments: [String] = []
        var image = Sandbox.fixtureImage("3.3.0")
        var workPath = workDir.path
        let expected: String
        switch input {
        case .unknownContainer:
            container = Sandbox.uniqueName("no_such")
            expected = "no container named"
        case .noConfigBind:
            container = Sandbox.uniqueName("plain")
            extraContainers.append(container)
            _ = try Sandbox.runChecked(
                "docker",
                [
                    "run", "-d", "--name", container, "--entrypoint", "/bin/sh",
                    Sandbox.fixtureImage("3.2.2"), "-c", "sleep 600",
                ])
            expected = "/home/admin/conf/config.yaml"
        case .malformedYAML:
            try (originalConfig + "\noms_meta_port: [unclosed\n").write(
                to: deployment.configPath, atomically: false, encoding: .utf8)
            expected = "config.yaml"
        case .missingKey:
            try rewriteConfig(deployment, originalConfig) { !$0.hasPrefix("drc_cm_db:") }
            expected = "drc_cm_db"
        case .wrongPassword:
            try rewriteConfig(
                deployment, originalConfig, replacing: "oms_meta_password:",
                with: "oms_meta_password: \"definitely-wrong-pw\"")
            expected = "1045"
        case .databaseDown:
            try rewriteConfig(
                deployment, originalConfig, replacing: "oms_meta_port:",
                with: "oms_meta_port: \"\(Sandbox.freePort())\"")
            expected = "metadata"
        case .imageMissing:
            image = Sandbox.fixtureImage("9.9.9")
            expected = Sandbox.fixtureImage("9.9.9")
        case .certificateWithoutKey:
            arguments += ["--ssl-cert", "/etc/hostname"]
            expected = "--ssl-key"
        case .keyNotMatchingCertificate:
            let (certificate, _) = try makeCertificate(in: workDir, name: "a")
            let (_, otherKey) = try makeCertificate(in: workDir, name: "b")
            arguments += ["--ssl-cert", certificate.path, "--ssl-key", otherKey.path]
            expected = "does not belong to the certificate"
        case .missingMountSource:
            try FileManager.default.removeItem(at: deployment.runDirectory)
            expected = deployment.runDirectory.path
        case .unwritableWorkDir:
            workPath = "/etc/hostname/oms-upgrade"
            expected = "work directory"
        case .unsupportedRoute:
            arguments += ["--to-version", "4.1.1"]
            expected = "4.1.1"
        case .missingDatabase:
            try rewriteConfig(
                deployment, originalConfig, replacing: "drc_rm_db:",
                with: "drc_rm_db: \"\(Sandbox.uniqueName("absent"))\"")
            expected = "do not exist"
        }

        let result = try CLI.run(
            [
                "plan", "--container", container, "--image", image, "--work-dir", workPath,
                "--name", Sandbox.uniqueName("oms_new"),
            ] + arguments)
        if input == .missingMountSource {
            try FileManager.default.createDirectory(at: deployment.runDirectory, withIntermediateDirectories: true)
        }
        try originalConfig.write(to: deployment.configPath, atomically: false, encoding: .utf8)

        #expect(result.status == 1, "\(result)")
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(!errors.isEmpty, "no error line: \(result)")
        #expect(errors.joined(separator: "\n").lowercased().contains(expected.lowercased()), "\(result)")
        let password = try Sandbox.mysql().password
        #expect(!result.stdout.contains(password) && !result.stderr.contains(password))
        #expect(try deployment.isRunning(), "the old container must still run")
        #expect(try DataFingerprint.take(deployment, heartbeatUpTo: maxID) == before, "the metadata must be unchanged")
    }

    private func rewriteConfig(_ deployment: FixtureDeployment, _ original: String, keep: (String) -> Bool) throws {
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter(keep)
        try lines.joined(separator: "\n").write(to: deployment.configPath, atomically: false, encoding: .utf8)
    }

    private func rewriteConfig(
        _ deployment: FixtureDeployment, _ original: String, replacing prefix: String, with line: String
    ) throws {
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasPrefix(prefix) ? line : String($0)
        }
        try lines.joined(separator: "\n").write(to: deployment.configPath, atomically: false, encoding: .utf8)
    }

    private func makeCertificate(in directory: URL, name: String) throws -> (URL, URL) {
        let certificate = directory.appending(path: "\(name).crt")
        let key = directory.appending(path: "\(name).key")
        _ = try Sandbox.runChecked(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=oms-\(name)", "-keyout", key.path, "-out", certificate.path,
            ])
        return (certificate, key)
    }
}
