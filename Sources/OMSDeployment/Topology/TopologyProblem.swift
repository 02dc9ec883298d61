/// Something about a multi-node deployment that stops the upgrade, naming the node(s) it is about.
public struct TopologyProblem: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    /// A stable short name, e.g. `node-engine`, `mounts`, `cm-nodes`.
    public var check: String
    /// The nodes (IPs) it concerns; empty when it is about the deployment as a whole.
    public var nodes: [String]
    /// What was found, one sentence.
    public var detail: String
    /// What to do about it, one sentence.
    public var remedy: String

    public init(check: String, nodes: [String], detail: String, remedy: String) {
        self.check = check
        self.nodes = nodes
        self.detail = detail
        self.remedy = remedy
    }

    /// The problem and its remedy as one line.
    public var description: String { "\(detail) \(remedy)" }
}
