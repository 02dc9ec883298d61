import Logging
import OMSDeployment

/// Loads a run's config.yaml (it holds the metadata credentials, which plans never store).
///
/// From the host path the plan recorded; for a multi-node run whose paths are not visible where
/// the tool runs (`ssh://` nodes), through the nodes' engines, from the old container, which works
/// while it is stopped.
enum RunConfig {
    static func load(_ plan: UpgradePlan, logger: Logger) async throws -> OMSConfig {
        let path = plan.configPath
        do {
            return try OMSConfig.load(path: path)
        } catch let error as OMSConfigError {
            let addresses = plan.nodes.compactMap { node in node.address.map { (node, $0) } }
            guard case .unreadable = error.problem, !addresses.isEmpty else { throw error }
            var problems = ["\(error)"]
            for (node, address) in addresses {
                do {
                    return try await RemoteConfigReader.load(
                        container: node.oldContainer.id, engine: address.makeEngine(logger: logger))
                } catch {
                    problems.append("node \(address.ip): \(error)")
                }
            }
            throw EngineError.invalidState(
                "config.yaml could not be read here nor through any node's engine (\(problems.joined(separator: "; ")));"
                    + " make a node's Docker engine reachable, or run oms-upgrade where \(path) is readable")
        }
    }
}
