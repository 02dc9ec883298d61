import Logging

/// A container engine (Docker or podman) as the upgrade tool needs it.
///
/// Every method names containers by name or id. The tool itself never removes an OMS
/// container: ``remove(_:force:)`` exists for tests and for cleaning up scratch containers.
public protocol ContainerEngine: Sendable {
    /// Checks that the engine answers; throws ``ContainerEngineError`` of kind
    /// ``ContainerEngineError/Kind/daemonUnreachable`` with a hint when it does not.
    func ping() async throws

    /// Returns the details of a container; throws a ``ContainerEngineError/Kind/notFound`` error when none has that name or id.
    func inspectContainer(_ nameOrID: String) async throws -> ContainerDetails

    /// Returns whether a container with that name or id exists (running or not).
    func containerExists(_ nameOrID: String) async throws -> Bool

    /// Returns the details of an image; throws a ``ContainerEngineError/Kind/notFound`` error when it is not present locally.
    func inspectImage(_ reference: String) async throws -> ImageDetails

    /// Returns whether an image is present locally (no registry is consulted).
    func imageExists(_ reference: String) async throws -> Bool

    /// Stops a container, giving its processes `timeoutSeconds` before they are killed.
    func stop(_ nameOrID: String, timeoutSeconds: Int) async throws

    /// Starts an existing, stopped container.
    func start(_ nameOrID: String) async throws

    /// Renames a container.
    func rename(_ nameOrID: String, to newName: String) async throws

    /// Creates and starts a detached container (`docker run -d ...`) and returns its id.
    func run(_ spec: ContainerRunSpec) async throws -> String

    /// Creates a container without starting it (`docker create ...`: ``run(_:)``'s arguments without `-d`) and returns its id.
    ///
    /// Secret-looking variables reach the CLI through its environment, as for ``run(_:)``; ``start(_:)`` starts it.
    func create(_ spec: ContainerRunSpec) async throws -> String

    /// Runs a command in a running container, streaming its stdout and stderr lines, and returns its exit code.
    ///
    /// On timeout the engine's client process is killed and a ``ContainerEngineError/Kind/timeout``
    /// error is thrown. The process inside the container is NOT killed with it: Docker goes on
    /// running an exec whose client went away. Stopping the container ends it.
    func exec(
        _ nameOrID: String,
        command: [String],
        timeoutSeconds: Int?,
        onOutputLine: @escaping @Sendable (String) -> Void
    ) async throws -> Int32

    /// Returns the last `tail` lines of a container's log, stdout and stderr interleaved as written.
    func logs(_ nameOrID: String, tail: Int) async throws -> [String]

    /// Returns the last `tail` lines of a container's log, each prefixed with the engine's RFC 3339
    /// timestamp of when it was written (`docker logs --timestamps --tail`).
    func timestampedTail(_ nameOrID: String, tail: Int) async throws -> [String]

    /// Returns a container's log lines written from `since` to `until` (RFC 3339 times), each prefixed
    /// with the engine's RFC 3339 timestamp of when it was written (`docker logs --timestamps`).
    func timestampedLogs(_ nameOrID: String, since: String, until: String) async throws -> [String]

    /// Reads a file of at most `limit` bytes out of a container, running or stopped.
    func readFile(_ path: String, in nameOrID: String, limit: Int) async throws -> [UInt8]
}

extension ContainerEngine {
    /// Default for engines (test doubles) that keep no timestamped log: the lines without their times.
    public func timestampedTail(_ nameOrID: String, tail: Int) async throws -> [String] {
        try await logs(nameOrID, tail: tail)
    }

    /// Default for engines (test doubles) that keep no timestamped log.
    public func timestampedLogs(_ nameOrID: String, since: String, until: String) async throws -> [String] {
        throw ContainerEngineError(
            kind: .failed, command: ["logs", "--timestamps", nameOrID], exitCode: nil, stderr: "",
            description:
                "This container engine cannot read the timestamped log of \(nameOrID): use the docker CLI engine.")
    }

    /// Default for engines (test doubles) that cannot copy files out of containers.
    public func readFile(_ path: String, in nameOrID: String, limit: Int) async throws -> [UInt8] {
        throw ContainerEngineError(
            kind: .failed, command: ["cp", "\(nameOrID):\(path)", "-"], exitCode: nil, stderr: "",
            description: "This container engine cannot copy \(path) out of \(nameOrID): use the docker CLI engine.")
    }

    /// Default for engines (test doubles) that cannot inspect images: reports the image as not inspectable.
    public func inspectImage(_ reference: String) async throws -> ImageDetails {
        throw ContainerEngineError(
            kind: .failed,
            command: ["image", "inspect", reference],
            exitCode: nil,
            stderr: "",
            description: "This container engine cannot inspect image \(reference): use the docker CLI engine."
        )
    }
}
