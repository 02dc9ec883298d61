import Containers
import Foundation
import SandboxSupport
import Synchronization
import Testing

/// Against the real dockerd, with the tiny busybox image. Fails (never skips) when dockerd is
/// not reachable, with a hint to run scripts/sandbox-up.sh.
@Suite("DockerCLI against dockerd", .serialized, .integration, .tags(.docker))
struct DockerCLITests {
    let engine = DockerCLI()

    /// Collects streamed lines.
    final class Lines: Sendable {
        private let state = Mutex<[String]>([])
        func append(_ line: String) { state.withLock { $0.append(line) } }
        var all: [String] { state.withLock { $0 } }
    }

    @Test("ping answers; an unreachable engine gives the sandbox hint")
    func ping() async throws {
        _ = try TestImage.ensure()
        try await engine.ping()
        let nowhere = DockerCLI(host: "unix:///nonexistent/docker.sock")
        let error = try await #require(throws: ContainerEngineError.self) { try await nowhere.ping() }
        #expect(error.kind == .daemonUnreachable)
        #expect(error.description.hasPrefix("Cannot reach the Docker engine at unix:///nonexistent/docker.sock:"))
        #expect(error.description.contains("scripts/sandbox-up.sh"))
        let inspect = try await #require(throws: ContainerEngineError.self) { try await nowhere.inspectContainer("x") }
        #expect(inspect.kind == .daemonUnreachable)

        // A short command that overruns its limit: the client is killed, a timeout is thrown.
        let impatient = DockerCLI(commandTimeout: .milliseconds(1))
        let slow = try await #require(throws: ContainerEngineError.self) { try await impatient.ping() }
        #expect(slow.kind == .timeout)
        #expect(slow.description.contains("docker info"))
    }

    @Test("unknown containers and images are notFound")
    func notFound() async throws {
        _ = try TestImage.ensure()
        let name = Sandbox.uniqueName("no_such")
        let error = try await #require(throws: ContainerEngineError.self) { try await engine.inspectContainer(name) }
        #expect(error.kind == .notFound)
        #expect(error.description.contains(name))
        #expect(try await engine.containerExists(name) == false)
        #expect(try await engine.imageExists("oms-upgrade-test/none:\(name)") == false)
        #expect(try await engine.imageExists(TestImage.reference))
        for operation in [
            { try await engine.stop(name, timeoutSeconds: 1) },
            { try await engine.start(name) },
            { try await engine.rename(name, to: name + "_x") },
            { _ = try await engine.logs(name, tail: 5) },
            { _ = try await engine.exec(name, command: ["true"], timeoutSeconds: 10, onOutputLine: { _ in }) },
        ] as [@Sendable () async throws -> Void] {
            let failure = try await #require(throws: ContainerEngineError.self) { try await operation() }
            #expect(failure.kind == .notFound, "\(failure)")
        }
        let missingCLI = DockerCLI(executable: "/nonexistent/docker")
        let launch = try await #require(throws: ContainerEngineError.self) { try await missingCLI.ping() }
        #expect(launch.description.contains("/nonexistent/docker"))
    }

    @Test("create makes a container that is not running, secrets through the environment; start runs it")
    func createThenStart() async throws {
        let image = try TestImage.ensure()
        let name = Sandbox.uniqueName("oms_create")
        defer { TestImage.removeContainers([name]) }
        let spec = ContainerRunSpec(
            name: name, image: image,
            env: [EnvVar(name: "X", value: "a=b c"), EnvVar(name: "DB_PASSWORD", value: "s3cret-value")],
            labels: ["oms-upgrade.test": "yes"])
        let id = try await engine.create(spec)
        let created = try await engine.inspectContainer(name)
        #expect(created.id == id)
        #expect(!created.state.running && created.state.status == "created", "\(created.state)")
        #expect(created.envValue("DB_PASSWORD") == "s3cret-value")
        #expect(created.envValue("X") == "a=b c")
        #expect(created.labels["oms-upgrade.test"] == "yes")
        #expect(created.tty && created.openStdin)
        try await engine.start(id)
        #expect(try await engine.inspectContainer(name).state.running)
        let again = try await #require(throws: ContainerEngineError.self) { _ = try await engine.create(spec) }
        #expect(again.description.contains(name), "a taken name is refused: \(again)")
    }

    @Test("run, inspect, exec, logs, stop, start, rename, remove")
    func lifecycle() async throws {
        let image = try TestImage.ensure()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = try directory.directory("data dir")
        let name = Sandbox.uniqueName("oms_cli")
        let renamed = name + "_renamed"
        defer { TestImage.removeContainers([name, renamed]) }

        let spec = ContainerRunSpec(
            name: name, image: image,
            mounts: [
                Mount(source: data, destination: "/data"), Mount(source: data, destination: "/data-ro", readOnly: true),
            ],
            env: [EnvVar(name: "X", value: "a=b c"), EnvVar(name: "DB_PASSWORD", value: "s3cret-value")],
            networkMode: "host", pidsLimit: -1, ulimits: [Ulimit(name: "nproc", soft: 65535, hard: 65535)],
            labels: ["oms-upgrade.test": "yes"]
        )
        #expect(!spec.dockerArguments().joined(separator: " ").contains("s3cret-value"))
        let id = try await engine.run(spec)
        #expect(id.count >= 12)

        let details = try await engine.inspectContainer(name)
        #expect(details.id == id)
        #expect(details.name == name)
        #expect(details.image == image)
        #expect(details.state.running)
        #expect(details.mount(at: "/data") == Mount(source: data, destination: "/data", readOnly: false, type: .bind))
        #expect(details.mount(at: "/data-ro")?.readOnly == true)
        #expect(details.envValue("X") == "a=b c")
        // Reached the container through the CLI's environment.
        #expect(details.envValue("DB_PASSWORD") == "s3cret-value")
        #expect(details.envValue("IMAGE_VAR") == "from-image")
        #expect(details.networkMode == "host")
        #expect(!details.privileged)
        #expect((details.pidsLimit ?? 0) <= 0)
        #expect(details.ulimits == [Ulimit(name: "nproc", soft: 65535, hard: 65535)])
        #expect(details.labels["oms-upgrade.test"] == "yes")
        #expect(details.tty && details.openStdin)
        #expect(try await engine.containerExists(name))

        // exec: stdout and stderr lines streamed, exit code returned.
        let lines = Lines()
        let code = try await engine.exec(
            name, command: ["sh", "-c", "echo one; echo two >&2; echo three; exit 3"],
            timeoutSeconds: 30, onOutputLine: { lines.append($0) })
        #expect(code == 3)
        #expect(Set(lines.all) == ["one", "two", "three"])
        #expect(lines.all.firstIndex(of: "one")! < lines.all.firstIndex(of: "three")!)
        #expect(try await engine.exec(name, command: ["true"], timeoutSeconds: nil, onOutputLine: { _ in }) == 0)

        // exec timeout: the client is killed, a timeout error is thrown, promptly.
        let started = ContinuousClock.now
        let timeout = try await #require(throws: ContainerEngineError.self) {
            _ = try await engine.exec(
                name, command: ["sh", "-c", "echo waiting; sleep 30"], timeoutSeconds: 1, onOutputLine: { _ in })
        }
        #expect(timeout.kind == .timeout)
        #expect(timeout.description.contains("stop the container"))
        #expect(ContinuousClock.now - started < .seconds(15))

        // logs: stdout and stderr, the last line last, no \r from the TTY.
        let log = try await waitForLog(name, containing: "OMS service start successfully")
        #expect(log.contains("hello from stdout"))
        #expect(log.contains("hello from stderr"))
        #expect(log.last == "OMS service start successfully")
        #expect(!log.contains { $0.contains("\r") })
        #expect(try await engine.logs(name, tail: 1) == ["OMS service start successfully"])

        try await engine.stop(name, timeoutSeconds: 5)
        #expect(try await engine.inspectContainer(name).state.running == false)
        let stopped = try await #require(throws: ContainerEngineError.self) {
            _ = try await engine.exec(name, command: ["true"], timeoutSeconds: 10, onOutputLine: { _ in })
        }
        #expect(stopped.kind == .failed && stopped.stderr.contains("is not running"), "\(stopped)")
        // A command that prints what looks like a CLI error and exits 1 is just a command exiting 1.
        try await engine.start(name)
        #expect(
            try await engine.exec(
                name, command: ["sh", "-c", "echo 'No such container: x'; exit 1"],
                timeoutSeconds: 10, onOutputLine: { _ in }) == 1)
        try await engine.stop(name, timeoutSeconds: 5)
        try await engine.start(name)
        #expect(try await engine.inspectContainer(name).state.running)

        try await engine.rename(name, to: renamed)
        #expect(try await engine.containerExists(name) == false)
        #expect(try await engine.inspectContainer(renamed).id == id)

        // A name already in use: a failed run with the CLI's reason.
        var clash = spec
        clash.name = renamed
        let conflict = try await #require(throws: ContainerEngineError.self) { _ = try await engine.run(clash) }
        #expect(conflict.kind == .failed)
        #expect(conflict.description.contains(renamed))
        #expect(!conflict.description.contains("s3cret-value"))

        try await engine.remove(renamed, force: true)
        #expect(try await engine.containerExists(renamed) == false)
    }

    @Test("run with a missing image is notFound")
    func missingImage() async throws {
        _ = try TestImage.ensure()
        let name = Sandbox.uniqueName("oms_noimg")
        defer { TestImage.removeContainers([name]) }
        let spec = ContainerRunSpec(name: name, image: "oms-upgrade-test/absent:\(name)")
        let error = try await #require(throws: ContainerEngineError.self) { _ = try await engine.run(spec) }
        #expect(error.kind == .notFound || error.kind == .failed, "\(error)")
        #expect(error.description.contains("oms-upgrade-test/absent"))
    }

    private func waitForLog(_ name: String, containing text: String) async throws -> [String] {
        for _ in 0..<50 {
            let lines = try await engine.logs(name, tail: 50)
            if lines.contains(text) { return lines }
            try await Task.sleep(for: .milliseconds(200))
        }
        return try await engine.logs(name, tail: 50)
    }
}
