import MetaDB
import MetaDump

/// Prunes the heartbeat table to its newest row.
///
/// After the online pre-prune only the beats of the last moments remain: a bounded DELETE of
/// those is instant. When many rows remain (no pre-prune, or a busy OMS) the swap strategy makes
/// the cost independent of the table's size; a server that refuses the swap gets batches.
struct PruneStep: RunStep {
    let id = StepID.prune

    /// Up to this many rows, deleting beats swapping (the swap's DROP of a large table is not free).
    static let deleteThreshold: Int64 = 10_000

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let database = try context.databases.cmHeartbeat
        let pruner = HeartbeatPruner(server: context.metaOptions, database: database, progress: context.reporter)
        let table = SQL.qualified(database, HeartbeatPruner.defaultTable)
        let remaining = try await context.withConnection { connection in
            try await connection.scalar(
                "SELECT COUNT(*) FROM (SELECT 1 FROM \(table) LIMIT \(Self.deleteThreshold + 1)) AS sample"
            ).int64 ?? 0
        }
        let strategy: PruneStrategy = remaining <= Self.deleteThreshold ? .batched : .swap
        let result = try await pruner.prune(strategy: strategy, allowFallback: true)
        if let refusal = result.refusal {
            context.say("The swap prune was refused (\(refusal)); pruned in batches instead.")
        }
        return [
            "rowsDeleted": String(result.rowsDeleted),
            "keptID": result.keptID.map(String.init) ?? "",
            "strategy": result.strategy.rawValue,
        ]
    }
}
