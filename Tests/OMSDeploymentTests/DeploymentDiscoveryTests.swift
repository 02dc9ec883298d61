import Containers
import Foundation
import SandboxSupport
import Testing

@testable import OMSDeployment

/// `Deployment.discover` and the health wait on busybox containers shaped like OMS's.
/// Fails (never skips) when dockerd is not reachable.
@Suite("deployment discovery against dockerd", .serialized, .integration, .tags(.docker))
struct DeploymentDiscoveryTests {
    let engine = DockerCLI()

    /// A host directory laid out like the guide's: config.yaml and the three data dirs.
    struct HostLayout {
        let directory: TemporaryDirectory
        let config: String
        let logs: String
        let store: String
        let run: String
        let port: Int

        init(configText: ((Int) -> String)? = nil) throws {
            directory = try TemporaryDirectory("oms-discover")
            port = Sandbox.freePort()
            let text = configText?(port) ?? ConfigSamples.quoted + "\nnginx_server_port: \"\(port)\"\n"
            config = try directory.write("config.yaml", text)
            logs = try directory.directory("oms/oms_logs")
            store = try directory.directory("oms/oms_store")
            run = try directory.directory("oms/oms_run")
        }

        var mounts: [Mount] {
            [
                Mount(source: config, destination: OMSContainerPaths.config),
                Mount(source: logs, destination: OMSContainerPaths.logs),
                Mount(source: store, destination: OMSContainerPaths.store),
                Mount(source: run, destination: OMSContainerPaths.run),
            ]
        }
    }

    private func runOld(_ name: String, layout: HostLayout, mounts: [Mount]? = nil, env extra: [EnvVar] = [])
        async throws
    {
        let image = try TestImage.ensure()
        let spec = ContainerRunSpec(
            name: name, image: image, mounts: mounts ?? layout.mounts,
            env: [
                EnvVar(name: "OMS_HOST_IP", value: "127.0.0.1"),
                EnvVar(name: "HEALTH_PORT", value: String(layout.port)),
            ] + extra,
            networkMode: "host", pidsLimit: -1, ulimits: [Ulimit(name: "nproc", soft: 65535, hard: 65535)]
        )
        _ = try await engine.run(spec)
    }

    @Test("discover, wait healthy, build and run the new container with identical mounts")
    func discoverAndReplace() async throws {
        let layout = try HostLayout()
        defer { layout.directory.remove() }
        let old = Sandbox.uniqueName("oms_old")
        let new = Sandbox.uniqueName("oms_new")
        defer { TestImage.removeContainers([old, new]) }
        try await runOld(old, layout: layout, env: [EnvVar(name: "TZ", value: "UTC")])

        let deployment = try await Deployment.discover(container: old, engine: engine)
        #expect(deployment.name == old)
        #expect(deployment.configPath == layout.config)
        #expect(deployment.dataMounts.map(\.source) == [layout.logs, layout.store, layout.run])
        #expect(deployment.sslMounts == nil)
        #expect(deployment.config.metaPassword.reveal() == ConfigSamples.password)
        #expect(deployment.config.ports.nginx == layout.port)
        #expect(deployment.version == OMSVersion(3, 2, 2))
        #expect(deployment.image?.env.contains(EnvVar(name: "IMAGE_VAR", value: "from-image")) == true)
        #expect(try deployment.consoleURL.absoluteString == "http://127.0.0.1:\(layout.port)")
        try deployment.validateMountSources()

        let probe = HealthProbe(requestTimeout: .seconds(3))
        let saidStarted = try await probe.waitUntilHealthy(
            deployment: deployment, engine: engine, container: old,
            timeout: .seconds(30), interval: .milliseconds(300))
        // The engine's time of the started line: after the container started, not after now.
        let startedText = try await engine.inspectContainer(old).state.startedAt
        let startedAt = try #require(startedText.flatMap(EngineTimestamp.parse))
        let said = try #require(saidStarted)
        #expect(said >= startedAt && said <= Date())

        let route = try UpgradeRoutes.bundled().route(from: try #require(deployment.version), to: OMSVersion(3, 3, 0))
        let plan = try NewContainerSpec.build(
            for: deployment,
            options: NewContainerOptions(
                image: TestImage.newReference, name: new, route: route))
        // Not PATH or IMAGE_VAR: those are the image's. (The engine may reorder the others.)
        #expect(plan.spec.env.first?.name == "OMS_HOST_IP")
        #expect(Set(plan.spec.env.map(\.name)) == ["OMS_HOST_IP", "HEALTH_PORT", "TZ"])
        #expect(
            plan.differences.contains(
                "--privileged=true omitted: the old container runs unprivileged and the new one inherits that."))

        // As the upgrade does it: stop the old one (they share the host network), start the new one.
        try await engine.stop(old, timeoutSeconds: 5)
        _ = try await engine.run(plan.spec)
        let replaced = try await engine.inspectContainer(new)
        for destination in [OMSContainerPaths.config] + OMSContainerPaths.dataMounts {
            #expect(replaced.mount(at: destination)?.source == deployment.container.mount(at: destination)?.source)
        }
        #expect(replaced.image == TestImage.newReference)
        #expect(replaced.envValue("PATH") == "/bin")
        try await probe.waitUntilHealthy(
            url: plan.consoleURL(port: deployment.config.ports.nginx), engine: engine,
            container: new, timeout: .seconds(30), interval: .milliseconds(300))

        // A mount source that disappears is reported by name.
        try FileManager.default.removeItem(atPath: layout.run)
        let missing = try #require(throws: DeploymentError.self) { try deployment.validateMountSources() }
        #expect(missing.problem == .missingMountSource([Mount(source: layout.run, destination: OMSContainerPaths.run)]))
        #expect(missing.description.contains(layout.run))
    }

    @Test("health wait: a timeout and a stopped container are reported with the last log line")
    func healthWaitFailures() async throws {
        let layout = try HostLayout()
        defer { layout.directory.remove() }
        let name = Sandbox.uniqueName("oms_unhealthy")
        defer { TestImage.removeContainers([name]) }
        // No HEALTH_PORT override reaches httpd: serve nothing on the console port.
        try await runOld(name, layout: layout, env: [EnvVar(name: "HEALTH_PORT", value: "")])
        let deployment = try await Deployment.discover(container: name, engine: engine)
        let probe = HealthProbe(requestTimeout: .seconds(1))
        let timeout = try await #require(throws: HealthWaitError.self) {
            try await probe.waitUntilHealthy(
                deployment: deployment, engine: engine, container: name,
                timeout: .seconds(2), interval: .milliseconds(500))
        }
        #expect(timeout.reason == .timedOut(seconds: 2))
        #expect(timeout.lastLogLine == "OMS service start successfully")
        #expect(timeout.description.contains(name))

        try await engine.stop(name, timeoutSeconds: 5)
        let stopped = try await #require(throws: HealthWaitError.self) {
            try await probe.waitUntilHealthy(
                deployment: deployment, engine: engine, container: name,
                timeout: .seconds(10), interval: .milliseconds(500))
        }
        guard case .containerStopped = stopped.reason else {
            Issue.record("expected containerStopped, got \(stopped.reason)")
            return
        }
    }

    @Test("containers that are not OMS-shaped, unknown containers, bad config.yaml")
    func refusals() async throws {
        let layout = try HostLayout()
        defer { layout.directory.remove() }
        let noConfig = Sandbox.uniqueName("oms_noconf")
        let noStore = Sandbox.uniqueName("oms_nostore")
        defer { TestImage.removeContainers([noConfig, noStore]) }

        try await runOld(noConfig, layout: layout, mounts: Array(layout.mounts.dropFirst()))
        let notOMS = try await #require(throws: DeploymentError.self) {
            try await Deployment.discover(container: noConfig, engine: engine)
        }
        #expect(notOMS.problem == .noConfigMount)
        #expect(notOMS.description.contains("has no bind mount onto /home/admin/conf/config.yaml"))

        try await runOld(
            noStore, layout: layout, mounts: layout.mounts.filter { $0.destination != OMSContainerPaths.store })
        let partial = try await #require(throws: DeploymentError.self) {
            try await Deployment.discover(container: noStore, engine: engine)
        }
        #expect(partial.problem == .missingDataMount(destination: OMSContainerPaths.store))

        let unknown = Sandbox.uniqueName("oms_absent")
        let missing = try await #require(throws: ContainerEngineError.self) {
            try await Deployment.discover(container: unknown, engine: engine)
        }
        #expect(missing.kind == .notFound)

        let badLayout = try HostLayout(configText: { _ in ConfigSamples.without("oms_meta_password") })
        defer { badLayout.directory.remove() }
        let badName = Sandbox.uniqueName("oms_badconf")
        defer { TestImage.removeContainers([badName]) }
        try await runOld(badName, layout: badLayout)
        let badConfig = try await #require(throws: OMSConfigError.self) {
            try await Deployment.discover(container: badName, engine: engine)
        }
        #expect(badConfig.problem == .missingKey("oms_meta_password"))
        #expect(badConfig.description.contains(badLayout.config))
    }
}
