import Containers
import Foundation
import SandboxSupport
import Testing

@testable import OMSDeployment

/// Discovery and health against the real OMS fixture (`oms-fixture:3.2.2` deployed the guide's
/// way by scripts/deploy-fixture.sh). Fails (never skips) when the sandbox is not up.
@Suite("the OMS fixture deployment", .serialized, .integration, .tags(.mariadb, .docker))
struct FixtureDeploymentTests {
    let engine = DockerCLI()

    @Test("discover the fixture, wait until healthy, plan its 3.3.0 container")
    func http() async throws {
        let fixture = try Sandbox.deployFixture(heartbeatRows: 10, projectRows: 5)
        defer { try? fixture.remove() }

        let deployment = try await Deployment.discover(container: fixture.containerName, engine: engine)
        #expect(deployment.version == OMSVersion(3, 2, 2))
        #expect(deployment.configPath == fixture.configPath.path)
        #expect(
            deployment.dataMounts.map(\.source) == [
                fixture.logsDirectory.path, fixture.storeDirectory.path, fixture.runDirectory.path,
            ])
        #expect(
            deployment.config.databases
                == MetaDatabases(
                    rm: fixture.rmDatabase, cm: fixture.cmDatabase, cmHeartbeat: fixture.cmHeartbeatDatabase))
        #expect(deployment.config.ports.nginx == fixture.port)
        #expect(try deployment.consoleURL.scheme == "http")
        #expect(try deployment.consoleURL.port == fixture.port)
        try deployment.validateMountSources()

        try await HealthProbe().waitUntilHealthy(
            deployment: deployment, engine: engine, container: fixture.containerName,
            timeout: .seconds(60), interval: .milliseconds(500))

        let route = try UpgradeRoutes.bundled().route(from: try #require(deployment.version), to: OMSVersion(3, 3, 0))
        let plan = try NewContainerSpec.build(
            for: deployment, options: NewContainerOptions(image: Sandbox.fixtureImage("3.3.0"), route: route))
        #expect(plan.spec.name == "oms_330")
        #expect(plan.targetVersion == OMSVersion(3, 3, 0))
        #expect(Array(plan.spec.mounts.prefix(4)) == [deployment.configMount] + deployment.dataMounts)
        #expect(
            plan.differences.contains(
                "--privileged=true omitted: the old container runs unprivileged and the new one inherits that."))
        #expect(!plan.spec.shellCommand().contains(deployment.config.metaPassword.reveal()))
    }

    @Test("an HTTPS fixture: the SSL pair is found, validated, and the probe reads health over TLS")
    func https() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let (certificate, key) = try certificates.rsaPair()
        let fixture = try Sandbox.deployFixture(
            heartbeatRows: 10, projectRows: 5,
            extraArgs: ["--ssl-cert", certificate, "--ssl-key", key])
        defer { try? fixture.remove() }

        let deployment = try await Deployment.discover(container: fixture.containerName, engine: engine)
        let ssl = try #require(deployment.sslMounts)
        try SSLPair(certificatePath: ssl.certificate.source, keyPath: ssl.key.source).validate()
        #expect(try deployment.consoleURL.scheme == "https")
        try await HealthProbe().waitUntilHealthy(
            deployment: deployment, engine: engine, container: fixture.containerName,
            timeout: .seconds(60), interval: .milliseconds(500))
        let plan = try NewContainerSpec.build(
            for: deployment,
            options: NewContainerOptions(image: Sandbox.fixtureImage("3.3.0"), name: fixture.containerName))
        #expect(plan.renameOldTo == "\(fixture.containerName)_pre_3.3.0")
        #expect(try plan.consoleURL(port: fixture.port).scheme == "https")
        #expect(plan.spec.mounts.contains(ssl.certificate) && plan.spec.mounts.contains(ssl.key))
    }
}
