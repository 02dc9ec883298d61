import Foundation

/// One node's outage estimate in a multi-node plan or run.
public struct NodeOutageEstimate: Codable, Sendable, Equatable {
    /// The node's IP (its OMS_HOST_IP).
    public var ip: String
    public var estimate: OutageEstimate

    public init(ip: String, estimate: OutageEstimate) {
        self.ip = ip
        self.estimate = estimate
    }
}

extension OutageEstimator {
    /// What one node's engine and old container told.
    public struct NodeMeasurement: Sendable, Equatable {
        public var ip: String
        /// One container operation on the node's engine.
        public var engine: Double
        /// The node's old container's own start, when its log tells.
        public var oldStart: OldStart?
        /// One read of the old container's log tail, when it worked.
        public var logRead: Double?
        /// Whether `docker_init.sh` runs on this node.
        public var runsInit: Bool

        public init(ip: String, engine: Double, oldStart: OldStart?, runsInit: Bool, logRead: Double? = nil) {
            self.ip = ip
            self.engine = engine
            self.oldStart = oldStart
            self.logRead = logRead
            self.runsInit = runsInit
        }
    }

    /// Each node's estimate: the metadata server's figures (`shared`: statements, DDL, tables,
    /// changes) with the node's own engine and old start; a node that runs no init waits for none.
    public func nodeEstimates(
        shared: Measurements, nodes: [NodeMeasurement], madeAt: String
    ) -> [NodeOutageEstimate] {
        nodes.map { node in
            var measured = shared
            measured.engine = node.engine
            measured.oldStart = node.oldStart
            measured.logRead = node.logRead
            var estimate = estimate(measured, madeAt: madeAt)
            if !node.runsInit, let index = estimate.items.firstIndex(where: { $0.part == .initScript }) {
                estimate.items[index] = .init(
                    part: .initScript, seconds: 0,
                    basis: "this node runs no docker_init.sh; it waits for the one that does")
            }
            return NodeOutageEstimate(ip: node.ip, estimate: estimate)
        }
    }

    /// The run's estimate from its nodes': the nodes go through each part at once and the next part
    /// begins when every node is done, so each part takes as long as its slowest node.
    public static func combined(_ nodes: [NodeOutageEstimate], madeAt: String) -> OutageEstimate {
        let items = OutageEstimate.Part.allCases.map { part -> OutageEstimate.Item in
            let candidates = nodes.compactMap { node in
                node.estimate.items.first { $0.part == part }.map { (node.ip, $0) }
            }
            if let unknown = candidates.first(where: { $0.1.seconds == nil }) {
                return .init(part: part, seconds: nil, basis: "node \(unknown.0): \(unknown.1.basis)")
            }
            guard let slowest = candidates.max(by: { ($0.1.seconds ?? 0) < ($1.1.seconds ?? 0) }) else {
                return .init(part: part, seconds: nil, basis: "no node was measured")
            }
            let prefix = nodes.count > 1 ? "the slowest of \(nodes.count) nodes, \(slowest.0): " : "node \(slowest.0): "
            return .init(
                part: part, seconds: slowest.1.seconds, basis: prefix + slowest.1.basis,
                omsSeconds: slowest.1.omsSeconds)
        }
        let rates = nodes.compactMap(\.estimate.changeRate)
        return OutageEstimate(items: items, madeAt: madeAt, changeRate: rates.max())
    }
}
