import Foundation
import Logging

/// The container engine spoken to through the `docker` CLI (or podman's docker-compatible one).
///
/// Going through the CLI brings `DOCKER_HOST`, `ssh://` hosts, contexts, TLS settings and podman
/// for free: the environment is inherited, and `context` / `host` are passed as the global flags
/// `--context` / `-H` (docker's; with podman set `CONTAINER_HOST` instead).
public struct DockerCLI: ContainerEngine {
    /// The CLI to run: a name looked up on PATH, or a path.
    public var executable: String
    /// `--context`, when set.
    public var context: String?
    /// `-H`, when set.
    public var host: String?
    /// Receives each command line at debug level (never a secret: see ``ContainerRunSpec``).
    public var logger: Logger
    /// How long a short command (inspect, start, rename...) may take before its client is killed.
    public var commandTimeout: Duration

    /// Creates an engine; the default logger discards everything.
    public init(
        executable: String = "docker",
        context: String? = nil,
        host: String? = nil,
        logger: Logger = Logger(label: "oms-upgrade.containers", factory: { _ in SwiftLogNoOpLogHandler() }),
        commandTimeout: Duration = .seconds(120)
    ) {
        self.executable = executable
        self.context = context
        self.host = host
        self.logger = logger
        self.commandTimeout = commandTimeout
    }

    /// Where the commands go, for messages: `-H`, else `--context`, else `DOCKER_HOST`, else the default socket.
    public var endpointDescription: String {
        if let host, !host.isEmpty { return host }
        if let context, !context.isEmpty { return "context \(context)" }
        let environment = ProcessInfo.processInfo.environment
        if let dockerHost = environment["DOCKER_HOST"], !dockerHost.isEmpty { return dockerHost }
        if let dockerContext = environment["DOCKER_CONTEXT"], !dockerContext.isEmpty {
            return "context \(dockerContext)"
        }
        if let containerHost = environment["CONTAINER_HOST"], !containerHost.isEmpty { return containerHost }
        return "unix:///var/run/docker.sock"
    }

    /// The global flags that go before every subcommand.
    var globalArguments: [String] {
        var result: [String] = []
        if let context, !context.isEmpty { result += ["--context", context] }
        if let host, !host.isEmpty { result += ["-H", host] }
        return result
    }

    public func ping() async throws {
        let arguments = ["version", "--format", "{{json .}}"]
        let result = try await invoke(arguments, action: "asking the Docker engine for its version")
        guard result.succeeded else {
            throw ContainerEngineError.daemonUnreachable(
                command: fullCommand(arguments), exitCode: result.exitCode,
                stderr: result.stderr, endpoint: endpointDescription
            )
        }
    }

    public func inspectContainer(_ nameOrID: String) async throws -> ContainerDetails {
        let arguments = ["container", "inspect", nameOrID]
        let result = try await invoke(arguments, action: "inspecting container \(nameOrID)")
        try check(result, arguments, action: "inspecting container \(nameOrID)", subject: ("container", nameOrID))
        return try ContainerDetails.decode(inspectJSON: Data(result.stdout.utf8))
    }

    public func containerExists(_ nameOrID: String) async throws -> Bool {
        try await Self.exists { _ = try await inspectContainer(nameOrID) }
    }

    public func inspectImage(_ reference: String) async throws -> ImageDetails {
        let arguments = ["image", "inspect", reference]
        let result = try await invoke(arguments, action: "inspecting image \(reference)")
        try check(result, arguments, action: "inspecting image \(reference)", subject: ("image", reference))
        return try ImageDetails.decode(inspectJSON: Data(result.stdout.utf8))
    }

    public func imageExists(_ reference: String) async throws -> Bool {
        try await Self.exists { _ = try await inspectImage(reference) }
    }

    /// Whether `inspect` succeeds: false on a not-found error, rethrowing any other.
    private static func exists(_ inspect: () async throws -> Void) async throws -> Bool {
        do {
            try await inspect()
            return true
        } catch let error as ContainerEngineError where error.kind == .notFound {
            return false
        }
    }

    public func stop(_ nameOrID: String, timeoutSeconds: Int) async throws {
        let arguments = ["stop", "--time", String(max(0, timeoutSeconds)), nameOrID]
        let result = try await invoke(
            arguments, action: "stopping container \(nameOrID)",
            timeout: .seconds(max(0, timeoutSeconds)) + commandTimeout
        )
        try check(result, arguments, action: "stopping container \(nameOrID)", subject: ("container", nameOrID))
    }

    public func start(_ nameOrID: String) async throws {
        let arguments = ["start", nameOrID]
        let result = try await invoke(arguments, action: "starting container \(nameOrID)")
        try check(result, arguments, action: "starting container \(nameOrID)", subject: ("container", nameOrID))
    }

    public func rename(_ nameOrID: String, to newName: String) async throws {
        let arguments = ["rename", nameOrID, newName]
        let result = try await invoke(arguments, action: "renaming container \(nameOrID) to \(newName)")
        try check(
            result, arguments, action: "renaming container \(nameOrID) to \(newName)", subject: ("container", nameOrID))
    }

    public func run(_ spec: ContainerRunSpec) async throws -> String {
        try await createOrRun(spec, arguments: spec.dockerArguments())
    }

    public func create(_ spec: ContainerRunSpec) async throws -> String {
        try await createOrRun(spec, arguments: spec.dockerCreateArguments())
    }

    /// Runs `docker run -d` or `docker create` for `spec` (secrets through the CLI's environment) and returns the new id.
    private func createOrRun(_ spec: ContainerRunSpec, arguments: [String]) async throws -> String {
        let action = "creating container \(spec.name) from \(spec.image)"
        let result = try await invoke(arguments, action: action, environment: spec.passedThroughEnvironment)
        try check(result, arguments, action: action, subject: ("image", spec.image))
        let id = result.stdout.split(whereSeparator: \.isNewline).last.map { String($0).trimmingWhitespace() } ?? ""
        guard !id.isEmpty else {
            throw ContainerEngineError.failed(
                action, command: fullCommand(arguments), exitCode: result.exitCode,
                stderr: "the CLI printed no container id")
        }
        return id
    }

    public func logs(_ nameOrID: String, tail: Int) async throws -> [String] {
        let arguments = ["logs", "--tail", String(max(0, tail)), nameOrID]
        let result = try await invoke(arguments, action: "reading the log of \(nameOrID)", combineOutput: true)
        try check(result, arguments, action: "reading the log of \(nameOrID)", subject: ("container", nameOrID))
        // With a TTY the log has "\r\n" line ends, which Swift treats as one Character.
        var lines = result.stdout
            .split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { line in line.hasSuffix("\r") ? String(line.dropLast()) : String(line) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The argv as it runs: executable, global flags, then `arguments`.
    func fullCommand(_ arguments: [String]) -> [String] {
        [executable] + globalArguments + arguments
    }

    /// Throws the error that fits a failed result: engine unreachable, not found, or failed.
    func check(_ result: CommandResult, _ arguments: [String], action: String, subject: (String, String)?) throws {
        guard !result.succeeded else { return }
        throw classify(result, arguments, action: action, subject: subject)
    }

    /// Tells an unreachable engine and a missing container or image apart from other failures.
    func classify(_ result: CommandResult, _ arguments: [String], action: String, subject: (String, String)?)
        -> ContainerEngineError
    {
        let command = fullCommand(arguments)
        let lowered = result.stderr.lowercased()
        let unreachableMarkers = [
            "cannot connect to the docker daemon", "is the docker daemon running",
            "error during connect", "cannot connect to podman", "unable to connect to podman",
        ]
        if unreachableMarkers.contains(where: lowered.contains) {
            return .daemonUnreachable(
                command: command, exitCode: result.exitCode, stderr: result.stderr, endpoint: endpointDescription)
        }
        let notFoundMarkers = [
            "no such container", "no such object", "no such image", "image not known", "no container with name or id",
            "unable to find image",
        ]
        if let subject, notFoundMarkers.contains(where: lowered.contains) {
            return .notFound(
                subject.0, subject.1, command: command, exitCode: result.exitCode, stderr: result.stderr,
                endpoint: endpointDescription)
        }
        return .failed(action, command: command, exitCode: result.exitCode, stderr: result.stderr)
    }
}
