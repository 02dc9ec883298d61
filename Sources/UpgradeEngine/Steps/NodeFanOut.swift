import MetaDB

/// Runs a step's work on every node at once and gathers what each node returned.
///
/// The step's result holds each node's by its IP (``NodeResults``); the one node of a single-node
/// run, which has no IP, is keyed `""`.
enum NodeFanOut {
    /// What the nodes returned, and the nodes whose work failed.
    struct Outcome<Node: StepResult>: Sendable {
        var results = NodeResults<Node>(nodes: [:])
        /// The nodes whose work failed, by IP (empty for a node named by no IP).
        var failures: [(ip: String, error: any Error)] = []

        /// The error of a node named by no IP, when its work failed.
        var unnamedFailure: (any Error)? { failures.first { $0.ip.isEmpty }?.error }
    }

    /// One node's work as a child task returns it.
    ///
    /// A struct, not a tuple: with Swift 6.3 `-O`, a task group whose child result is a tuple
    /// holding a `Result` crashes handing it to the parent (Benchmarks/multinode/README.md).
    struct NodeResult<Node: StepResult>: Sendable {
        var ip: String
        var result: Result<Node, any Error>
    }

    /// Runs `work` on every node in parallel and waits for all; throws when any failed.
    ///
    /// The error of a node named by no IP is thrown as it is; nodes named by their IPs fail
    /// together as one ``NodeFailures``.
    static func run<Node: StepResult>(
        _ nodes: [RunNode], recording recorder: NodeRecorder? = nil,
        _ work: @escaping @Sendable (RunNode) async throws -> Node
    ) async throws -> NodeResults<Node> {
        let outcome = await gather(nodes, recording: recorder, work)
        if let unnamed = outcome.unnamedFailure { throw unnamed }
        guard outcome.failures.isEmpty else { throw NodeFailures(failures: outcome.failures) }
        return outcome.results
    }

    /// Runs a rollback's `work` on every node in parallel.
    ///
    /// The rollback goes on past nodes named by their IPs whose work failed (an engine that went
    /// away must not keep the other nodes down); they are named in the result's
    /// ``NodeResults/unfinishedNodes``, which makes a later `rollback` run the step again. A node
    /// named by no IP cannot be left for later: its error is thrown, as by ``run(_:recording:_:)``.
    static func runForRollback<Node: StepResult>(
        _ context: RunContext, recording recorder: NodeRecorder? = nil,
        _ work: @escaping @Sendable (RunNode) async throws -> Node
    ) async throws -> NodeResults<Node> {
        let outcome = await gather(context.nodes, recording: recorder, work)
        if let unnamed = outcome.unnamedFailure { throw unnamed }
        for failure in outcome.failures {
            context.say("node \(failure.ip): \(failure.error). Left for a later `oms-upgrade rollback`.")
        }
        var results = outcome.results
        results.unfinishedNodes = outcome.failures.map(\.ip)
        return results
    }

    /// Runs `work` on every node in parallel and returns what each returned, failures included.
    static func gather<Node: StepResult>(
        _ nodes: [RunNode], recording recorder: NodeRecorder? = nil,
        _ work: @escaping @Sendable (RunNode) async throws -> Node
    ) async -> Outcome<Node> {
        await withTaskGroup(of: NodeResult<Node>.self) { group in
            for node in nodes {
                group.addTask {
                    recorder?.record(.nodeStarted, node: node.ip)
                    do {
                        let result = try await work(node)
                        recorder?.record(.nodeCompleted, node: node.ip, result: try? JSONValue(encoding: result))
                        return NodeResult(ip: node.ip ?? "", result: .success(result))
                    } catch {
                        recorder?.record(.nodeFailed, node: node.ip, message: "\(error)")
                        return NodeResult(ip: node.ip ?? "", result: .failure(error))
                    }
                }
            }
            var outcome = Outcome<Node>()
            for await child in group {
                switch child.result {
                case .success(let result): outcome.results.nodes[child.ip] = result
                case .failure(let error): outcome.failures.append((child.ip, error))
                }
            }
            outcome.failures.sort { $0.ip < $1.ip }
            return outcome
        }
    }
}

/// A step's work on a node that returns nothing of its own (e.g. init's stops and starts).
struct NoNodeResult: StepResult {
    init() {}

    init(legacyFacts: [String: String]) {}
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

    func record(_ event: JournalEntry.Event, node: String?, result: JSONValue? = nil, message: String? = nil) {
        guard let node else { return }
        do {
            try journal.append(event, step: step, result: result, message: message, node: node)
        } catch {
            log?.write("could not journal \(event.rawValue) of \(step.rawValue) on node \(node): \(error)")
        }
    }
}

extension RunContext {
    /// The recorder of the nodes' parts of `step`.
    func nodeRecorder(_ step: StepID) -> NodeRecorder { NodeRecorder(journal: journal, step: step, log: log) }
}
