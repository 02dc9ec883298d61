import Containers
import Synchronization

/// A container engine test double that keeps containers in memory and records every call that changes one.
///
/// For the container steps' logic only (which calls, in which step): stop, create, start and rename
/// change its state as Docker would; anything else throws, as ``FakeEngine`` does.
final class RecordingEngine: ContainerEngine {
    private struct State {
        var containers: [String: ContainerDetails] = [:]
        var calls: [String] = []
        var created = 0
    }

    private let state: Mutex<State>

    /// An engine holding `containers` (keyed by name).
    init(_ containers: [ContainerDetails]) {
        state = Mutex(State(containers: Dictionary(uniqueKeysWithValues: containers.map { ($0.name, $0) })))
    }

    /// The calls that changed something, as `verb name`, in order.
    var calls: [String] { state.withLock { $0.calls } }

    /// The container now named `name`.
    func container(_ name: String) -> ContainerDetails? { state.withLock { $0.containers[name] } }

    /// Forgets every recorded call.
    func clearCalls() { state.withLock { $0.calls = [] } }

    func ping() async throws {}

    func inspectContainer(_ nameOrID: String) async throws -> ContainerDetails {
        guard let details = find(nameOrID) else { throw FakeEngine.notFound(nameOrID, ["inspect", nameOrID]) }
        return details
    }

    func containerExists(_ nameOrID: String) async throws -> Bool { find(nameOrID) != nil }

    func imageExists(_ reference: String) async throws -> Bool { true }

    func stop(_ nameOrID: String, timeoutSeconds: Int) async throws {
        try change("stop", nameOrID) { $0.state = ContainerState(status: "exited", running: false) }
    }

    func start(_ nameOrID: String) async throws {
        try change("start", nameOrID) { $0.state = ContainerState(status: "running", running: true) }
    }

    func rename(_ nameOrID: String, to newName: String) async throws {
        try state.withLock { state in
            guard let old = state.containers.values.first(where: { $0.name == nameOrID || $0.id == nameOrID }) else {
                throw FakeEngine.notFound(nameOrID, ["rename", nameOrID])
            }
            state.containers[old.name] = nil
            var renamed = old
            renamed.name = newName
            state.containers[newName] = renamed
            state.calls.append("rename \(old.name) \(newName)")
        }
    }

    func create(_ spec: ContainerRunSpec) async throws -> String {
        try add(spec, verb: "create", running: false)
    }

    func run(_ spec: ContainerRunSpec) async throws -> String {
        try add(spec, verb: "run", running: true)
    }

    func exec(
        _ nameOrID: String, command: [String], timeoutSeconds: Int?,
        onOutputLine: @escaping @Sendable (String) -> Void
    ) async throws -> Int32 {
        throw FakeEngine.unexpected(["exec", nameOrID] + command)
    }

    func logs(_ nameOrID: String, tail: Int) async throws -> [String] {
        throw FakeEngine.unexpected(["logs", nameOrID])
    }

    private func find(_ nameOrID: String) -> ContainerDetails? {
        state.withLock { state in
            state.containers[nameOrID] ?? state.containers.values.first { $0.id == nameOrID }
        }
    }

    private func change(_ verb: String, _ nameOrID: String, _ body: (inout ContainerDetails) -> Void) throws {
        try state.withLock { state in
            guard let name = state.containers.values.first(where: { $0.name == nameOrID || $0.id == nameOrID })?.name
            else { throw FakeEngine.notFound(nameOrID, [verb, nameOrID]) }
            body(&state.containers[name]!)
            state.calls.append("\(verb) \(name)")
        }
    }

    private func add(_ spec: ContainerRunSpec, verb: String, running: Bool) throws -> String {
        try state.withLock { state in
            guard state.containers[spec.name] == nil else {
                throw ContainerEngineError(
                    kind: .failed, command: [verb, spec.name], exitCode: 125, stderr: "Conflict",
                    description: "the name \(spec.name) is in use")
            }
            state.created += 1
            let id = "new\(state.created)" + String(repeating: "0", count: 60)
            state.containers[spec.name] = ContainerDetails(
                id: id, name: spec.name, image: spec.image,
                state: ContainerState(status: running ? "running" : "created", running: running),
                env: spec.env, labels: spec.labels)
            state.calls.append("\(verb) \(spec.name)")
            return id
        }
    }
}
