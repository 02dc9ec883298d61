import Containers

/// A container engine test double for pure logic: answers from what it was given, changes nothing.
///
/// Only the read-only calls a preflight makes are served; every other call throws, so a test
/// that reaches one fails instead of acting on a real engine.
struct FakeEngine: ContainerEngine {
    /// What `ping` throws: nil when the engine answers.
    var pingError: ContainerEngineError?
    /// The containers that exist, by name.
    var containers: [String: ContainerDetails] = [:]
    /// Other names that are taken by containers.
    var otherContainerNames: Set<String> = []
    /// The images present locally.
    var images: Set<String> = []

    static func notFound(_ what: String, _ command: [String]) -> ContainerEngineError {
        ContainerEngineError(
            kind: .notFound, command: command, exitCode: 1, stderr: "Error: No such object: \(what)",
            description: "No such object: \(what)")
    }

    static func unexpected(_ command: [String]) -> ContainerEngineError {
        ContainerEngineError(
            kind: .failed, command: command, exitCode: nil, stderr: "",
            description: "FakeEngine: \(command.joined(separator: " ")) is not expected in this test")
    }

    func ping() async throws {
        if let pingError { throw pingError }
    }

    func inspectContainer(_ nameOrID: String) async throws -> ContainerDetails {
        if let details = containers[nameOrID] ?? containers.values.first(where: { $0.id == nameOrID }) {
            return details
        }
        throw Self.notFound(nameOrID, ["inspect", nameOrID])
    }

    func containerExists(_ nameOrID: String) async throws -> Bool {
        containers[nameOrID] != nil || otherContainerNames.contains(nameOrID)
    }

    func imageExists(_ reference: String) async throws -> Bool { images.contains(reference) }

    func stop(_ nameOrID: String, timeoutSeconds: Int) async throws { throw Self.unexpected(["stop", nameOrID]) }

    func start(_ nameOrID: String) async throws { throw Self.unexpected(["start", nameOrID]) }

    func rename(_ nameOrID: String, to newName: String) async throws {
        throw Self.unexpected(["rename", nameOrID, newName])
    }

    func run(_ spec: ContainerRunSpec) async throws -> String { throw Self.unexpected(["run", spec.name]) }

    func create(_ spec: ContainerRunSpec) async throws -> String { throw Self.unexpected(["create", spec.name]) }

    func exec(
        _ nameOrID: String, command: [String], timeoutSeconds: Int?,
        onOutputLine: @escaping @Sendable (String) -> Void
    ) async throws -> Int32 {
        throw Self.unexpected(["exec", nameOrID] + command)
    }

    func logs(_ nameOrID: String, tail: Int) async throws -> [String] { throw Self.unexpected(["logs", nameOrID]) }

}
