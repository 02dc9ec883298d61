import MetaDB

/// Runs a step's work on every node at once and gathers what each node reported.
///
/// Facts of a single-node run keep their plain keys (`newContainerID`); a multi-node run records
/// each node's as `<fact>@<ip>` (see docs/JOURNAL.md).
enum NodeFanOut {
    /// What the nodes reported: their facts, and the nodes whose work failed.
    struct Outcome: Sendable {
        var facts: [String: String] = [:]
        var failures: [(ip: String, error: any Error)] = []
    }

    /// One node's work as a child task returns it.
    ///
    /// A struct, not a tuple: with Swift 6.3 `-O`, a task group whose child result is a tuple
    /// holding a `Result` crashes handing it to the parent (Benchmarks/multinode/README.md).
    struct NodeResult: Sendable {
        var ip: String
        var result: Result<[String: String], any Error>
    }

    /// Runs `work` on every node in parallel and waits for all; throws when any failed.
    ///
    /// A single node's error is thrown as it is; several nodes' errors as one ``NodeFailures``.
    static func run(
        _ nodes: [RunNode], recording recorder: NodeRecorder? = nil,
        _ work: @escaping @Sendable (RunNode) async throws -> [String: String]
    ) async throws -> [String: String] {
        if nodes.count == 1, nodes[0].ip == nil { return try await work(nodes[0]) }
        let outcome = await gather(nodes, recording: recorder, work)
        guard outcome.failures.isEmpty else { throw NodeFailures(failures: outcome.failures) }
        return outcome.facts
    }

    /// Runs a rollback's `work` on every node in parallel.
    ///
    /// One node: as ``run(_:_:)``. Several: the rollback goes on past nodes whose work failed
    /// (an engine that went away must not keep the other nodes down); they are named in the
    /// `unfinishedNodes` fact, which makes a later `rollback` run the step again.
    static func runForRollback(
        _ context: RunContext, recording recorder: NodeRecorder? = nil,
        _ work: @escaping @Sendable (RunNode) async throws -> [String: String]
    ) async throws -> [String: String] {
        guard context.isMultiNode else { return try await run(context.nodes, work) }
        let outcome = await gather(context.nodes, recording: recorder, work)
        for failure in outcome.failures {
            context.say("node \(failure.ip): \(failure.error). Left for a later `oms-upgrade rollback`.")
        }
        var facts = outcome.facts
        facts[JournalFact.unfinishedNodes.rawValue] = outcome.failures.map(\.ip).joined(separator: ",")
        return facts
    }

    /// Runs `work` on every node in parallel and returns what each reported, failures included.
    static func gather(
        _ nodes: [RunNode], recording recorder: NodeRecorder? = nil,
        _ work: @escaping @Sendable (RunNode) async throws -> [String: String]
    ) async -> Outcome {
        await withTaskGroup(of: NodeResult.self) { group in
            for node in nodes {
                group.addTask {
                    recorder?.record(.nodeStarted, node: node.ip)
                    do {
                        let facts = try await work(node)
                        recorder?.record(.nodeCompleted, node: node.ip, facts: facts)
                        return NodeResult(ip: node.ip ?? "", result: .success(facts))
                    } catch {
                        recorder?.record(.nodeFailed, node: node.ip, message: "\(error)")
                        return NodeResult(ip: node.ip ?? "", result: .failure(error))
                    }
                }
            }
            var outcome = Outcome()
            for await child in group {
                let ip = child.ip
                switch child.result {
                case .success(let facts):
                    for (key, value) in facts { outcome.facts[ip.isEmpty ? key : "\(key)@\(ip)"] = value }
                case .failure(let error):
                    outcome.failures.append((ip, error))
                }
            }
            outcome.failures.sort { $0.ip < $1.ip }
            return outcome
        }
    }
}

/// The work of one step failed on some nodes of a multi-node run.
public struct NodeFailures: Error, Sendable, CustomStringConvertible, WrappingError {
    public var failures: [(ip: String, error: any Error)]

    /// Every failed node's error, for ``MetaDB/ErrorChain``.
    public var wrappedErrors: [any Error] { failures.map(\.error) }

    /// The failed nodes' IPs.
    public var ips: [String] { failures.map(\.ip) }

    public var description: String {
        failures.map { "node \($0.ip): \($0.error)" }.joined(separator: "; ")
    }
}

/// Writes one node's part of a step to the journal (`node-started`, `node-completed`, `node-failed`).
///
/// These entries are the per-node records the report draws its lanes from; the step's own
/// entries decide how the run goes, so a record that cannot be written is logged, not fatal.
struct NodeRecorder: Sendable {
    let journal: Journal
    let step: StepID
    let log: RunLog?

    func record(_ event: JournalEntry.Event, node: String?, facts: [String: String] = [:], message: String? = nil) {
        guard let node else { return }
        do {
            try journal.append(event, step: step, facts: facts, message: message, node: node)
        } catch {
            log?.write("could not journal \(event.rawValue) of \(step.rawValue) on node \(node): \(error)")
        }
    }
}

extension RunContext {
    /// The recorder of the nodes' parts of `step`.
    func nodeRecorder(_ step: StepID) -> NodeRecorder { NodeRecorder(journal: journal, step: step, log: log) }
}
