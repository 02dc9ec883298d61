/// What a step returns when it completes: a value of the step's own type, journaled as JSON.
///
/// The runner stores it in the `step-completed` entry (`"result": {...}`); later steps, the
/// rollback, `status` and the report read it back with ``JournalState/StepRecord/result(_:)``.
/// Journals written before results were typed hold string facts instead: every result type can
/// be built from them (``init(legacyFacts:)``), so such a journal still replays. The types and
/// their JSON are listed in docs/JOURNAL.md.
public protocol StepResult: Codable, Sendable, Equatable {
    /// The result an earlier version recorded as string facts (`"true"`, comma-joined lists,
    /// per-node keys `<fact>@<ip>` already split off by ``NodeResults``).
    init(legacyFacts: [String: String])
}

/// Reads the string facts of a journal written before results were typed.
struct LegacyFacts {
    let facts: [String: String]

    init(_ facts: [String: String]) { self.facts = facts }

    func text(_ fact: JournalFact) -> String? { facts[fact.rawValue] }

    func bool(_ fact: JournalFact) -> Bool { facts[fact.rawValue] == "true" }

    func int(_ fact: JournalFact) -> Int? { facts[fact.rawValue].flatMap { Int($0) } }

    func int64(_ fact: JournalFact) -> Int64? { facts[fact.rawValue].flatMap { Int64($0) } }

    /// The values of `fact` recorded once per database as `<fact>@<database>`, by database; a plain
    /// `<fact>` key (a single region's, in earlier versions) is the database `""`.
    func perDatabase(_ fact: JournalFact) -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in facts {
            let parts = key.split(separator: "@", maxSplits: 1).map(String.init)
            if parts[0] == fact.rawValue { values[parts.count == 2 ? parts[1] : ""] = value }
        }
        return values
    }

    /// A list joined with `separator`; empty when absent or empty.
    func list(_ fact: JournalFact, separator: String = ",") -> [String] {
        guard let text = facts[fact.rawValue], !text.isEmpty else { return [] }
        return text.components(separatedBy: separator)
    }
}

/// A step's result when the step acts on every node: each node's own result, by the node's IP.
///
/// The one node of a single-node deployment (which has no IP) is keyed `""`. A rollback step
/// that could not reach some nodes names them in ``unfinishedNodes``; the runner runs it again.
public struct NodeResults<Node: StepResult>: StepResult {
    /// Each node's result, by IP.
    public var nodes: [String: Node]
    /// The nodes a rollback step could not finish, in order; empty for upgrade steps.
    public var unfinishedNodes: [String]

    public init(nodes: [String: Node], unfinishedNodes: [String] = []) {
        self.nodes = nodes
        self.unfinishedNodes = unfinishedNodes
    }

    /// Splits `<fact>@<ip>` keys into nodes; plain keys are the one node of a single-node run.
    public init(legacyFacts: [String: String]) {
        var perNode: [String: [String: String]] = [:]
        for (key, value) in legacyFacts where key != JournalFact.unfinishedNodes.rawValue {
            let parts = key.split(separator: "@", maxSplits: 1).map(String.init)
            perNode[parts.count == 2 ? parts[1] : "", default: [:]][parts[0]] = value
        }
        nodes = perNode.mapValues(Node.init(legacyFacts:))
        unfinishedNodes = LegacyFacts(legacyFacts).list(.unfinishedNodes)
    }

    private enum CodingKeys: String, CodingKey { case nodes, unfinishedNodes }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        nodes = try container.decode([String: Node].self, forKey: .nodes)
        unfinishedNodes = try container.decodeIfPresent([String].self, forKey: .unfinishedNodes) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nodes, forKey: .nodes)
        if !unfinishedNodes.isEmpty { try container.encode(unfinishedNodes, forKey: .unfinishedNodes) }
    }
}

/// The nodes a rollback step left unfinished, read from any step's result (absent: none).
struct UnfinishedNodes: StepResult {
    var unfinishedNodes: [String]

    init(legacyFacts: [String: String]) { unfinishedNodes = LegacyFacts(legacyFacts).list(.unfinishedNodes) }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        unfinishedNodes = try container.decodeIfPresent([String].self, forKey: .unfinishedNodes) ?? []
    }
}
