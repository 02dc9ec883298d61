import MetaDB

/// Runs a step's work on every node at once and gathers what each node reported.
///
/// Facts of a node named by no IP (the one node of a deployment planned without `--node`) keep
/// their plain keys (`newContainerID`); a node named by `--node` records its own as `<fact>@<ip>`
/// (see docs/JOURNAL.md).
enum NodeFanOut {
    /// What the nodes reported: their facts, and the nodes whose work failed.
    struct Outcome: Sendable {
        var facts: [String: String] = [:]
        /// The nodes whose work failed, by IP (empty for a node named by no IP).
        var failures: [(ip: String, error: any Error)] = []

        /// The error of a node named by no IP, when its work failed.
        var unnamedFailure: (any Error)? { failures.first { $0.ip.isEmpty }?.error }
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
    /// The error of a node named by no IP is thrown as it is; nodes named by their IPs fail
    /// together as one ``NodeFailures``.
    static func run(
        _ nodes: [RunNode], recording recorder: NodeRecorder? = nil,
        _ work: @escaping @Sendable (RunNode) async throws -> [String: String]
    ) async throws -> [String: String] {
        let outcome = await gather(nodes, recording: recorder, work)
        if let unnamed = outcome.unnamedFailure { throw unnamed }
        guard outcome.failures.isEmpty else { throw NodeFailures(failures: outcome.failures) }
        return outcome.facts
    }

    /// Runs a rollback's `work` on every node in parallel.
    ///
    /// The rollback goes on past nodes named by their IPs whose work failed (an engine that went
    /// away must not keep the other nodes down); they are named in the `unfinishedNodes` fact,
    /// which makes a later `rollback` run the step again. A node named by no IP cannot be left for
    /// later: its error is thrown, as by ``run(_:recording:_:)``.
    static func runForRollback(
        _ context: RunContext, recording recorder: NodeRecorder? = nil,
        _ work: @escaping @Sendable (RunNode) async throws -> [String: String]
    ) async throws -> [String: String] {
        let outcome = await gather(context.nodes, recording: recorder, work)
        if let unnamed = outcome.unnamedFailure { throw unnamed }
        for failure in outcome.failures {
            context.say("node \(failure.ip): \(failure.error). Left for a later `oms-upgrade rollback`.")
        }
        var facts = outcome.facts
        if context.isMultiNode {
            facts[JournalFact.unfinishedNodes.rawValue] = outcome.failures.map(\.ip).joined(separator: ",")
        }
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
