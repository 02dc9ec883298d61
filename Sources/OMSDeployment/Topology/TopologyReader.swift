import Containers
import Logging

/// Reads every node of a multi-node deployment at once: its engine, its OMS container and its
/// config.yaml. Changes nothing.
public struct TopologyReader: Sendable {
    /// The nodes, as given.
    public var nodes: [NodeEndpoint]
    /// The OMS container's name (the same on every node).
    public var container: String
    public var logger: Logger

    public init(nodes: [NodeEndpoint], container: String, logger: Logger) {
        self.nodes = nodes
        self.container = container
        self.logger = logger
    }

    /// Every node's reading or the problem that stopped it, in the order the nodes were given.
    public func read() async -> [Result<NodeReading, TopologyProblem>] {
        await withTaskGroup(of: NodeOutcome.self) { group in
            for (index, node) in nodes.enumerated() {
                group.addTask { NodeOutcome(index: index, result: await readNode(node)) }
            }
            var results = [Result<NodeReading, TopologyProblem>?](repeating: nil, count: nodes.count)
            for await outcome in group { results[outcome.index] = outcome.result }
            return results.compactMap { $0 }
        }
    }

    /// One node's reading as a child task returns it.
    ///
    /// A struct, not a tuple: with Swift 6.3 `-O`, a task group whose child result is a tuple
    /// holding a `Result` crashes handing it to the parent (Benchmarks/multinode/README.md).
    struct NodeOutcome: Sendable {
        var index: Int
        var result: Result<NodeReading, TopologyProblem>
    }

    /// Reads one node: ping, inspect the container and its image, read config.yaml.
    func readNode(_ node: NodeEndpoint) async -> Result<NodeReading, TopologyProblem> {
        let engine = node.makeEngine(logger: logger)
        do {
            try await engine.ping()
        } catch {
            return .failure(
                TopologyProblem(
                    check: "node-engine", nodes: [node.ip],
                    detail: "Node \(node.ip): the Docker engine at \(node.endpoint) does not answer: \(error)",
                    remedy: "Start dockerd on \(node.ip) or fix its endpoint in --node \(node.ip)=ENDPOINT."))
        }
        do {
            let deployment = try await discover(engine: engine)
            return .success(NodeReading(node: node, deployment: deployment))
        } catch {
            return .failure(
                TopologyProblem(
                    check: "node-container", nodes: [node.ip],
                    detail: "Node \(node.ip): cannot read the OMS container \(container): \(error)",
                    remedy: "Every node must run the OMS container under the same name with its config.yaml readable;"
                        + " check `docker -H \(node.endpoint) ps -a` on \(node.ip)."))
        }
    }

    /// The node's deployment; config.yaml from its host path when visible here, else through the engine.
    func discover(engine: DockerCLI) async throws -> Deployment {
        let details = try await engine.inspectContainer(container)
        let image = try? await engine.inspectImage(details.imageID.isEmpty ? details.image : details.imageID)
        do {
            return try Deployment(inspecting: details, image: image)
        } catch let error as OMSConfigError {
            guard case .unreadable = error.problem else { throw error }
            let text = try await RemoteConfigReader.read(container: details.name, engine: engine)
            return try Deployment(inspecting: details, image: image, configText: text)
        }
    }
}
