import MetaDB
import OMSDeployment

extension Planner {
    /// The single-node plan's refusal of a deployment with several nodes or regions: upgrading one
    /// node alone would leave the others running the old release against the migrated schema.
    static let multiNodeRemedy =
        "Plan and apply it as a multi-node deployment: oms-upgrade plan (then apply) --container NAME"
        + " --image IMAGE --node IP=ENDPOINT for every node (see docs/MULTINODE.md)."

    /// A failed check when config.yaml's cm_nodes lists more than one host; nil otherwise.
    static func multiNodeCheck(_ config: OMSConfig) -> PreflightCheck? {
        let hosts = Array(Set(config.cmNodes)).sorted()
        guard hosts.count > 1 else { return nil }
        return .fail(
            "multi-node",
            "config.yaml's cm_nodes lists \(hosts.count) hosts"
                + " (\(hosts.joined(separator: ", "))): this region has several OMS nodes, and this command upgrades one.",
            remedy: multiNodeRemedy)
    }

    /// A failed check when `<rm>.cluster_info` names more than one region; nil otherwise.
    static func multiRegionCheck(_ connection: AsyncConnection, rmDatabase: String) async throws -> PreflightCheck? {
        guard try await MetadataInspector.tableExists(connection, database: rmDatabase, table: "cluster_info") else {
            return nil
        }
        let count =
            try await connection.scalar(
                "SELECT COUNT(DISTINCT code) FROM \(SQL.qualified(rmDatabase, "cluster_info"))"
            ).int64 ?? 0
        guard count > 1 else { return nil }
        return .fail(
            "multi-region",
            "\(rmDatabase).cluster_info names \(count) regions:"
                + " the deployment has OMS nodes in other regions, and this command upgrades one node.",
            remedy: multiNodeRemedy)
    }
}
