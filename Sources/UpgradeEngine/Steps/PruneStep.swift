import MetaDB
import MetaDump

/// Prunes every region's heartbeat table to its newest row.
///
/// After the online pre-prune only the beats of the last moments remain: a bounded DELETE of
/// those is instant. When many rows remain (no pre-prune, or a busy OMS) the swap strategy makes
/// the cost independent of the table's size; a server that refuses the swap gets batches.
struct PruneStep: RunStep {
    let id = StepID.prune

    /// Up to this many rows, deleting beats swapping (the swap's DROP of a large table is not free).
    static let deleteThreshold: Int64 = 10_000

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let heartbeats = context.databases.heartbeats
        var facts: [String: String] = [:]
        var deleted: Int64 = 0
        for database in heartbeats {
            let result = try await prune(database, context)
            deleted += result.rowsDeleted
            // One region keeps the plain keys; several note each database's kept id and strategy.
            let suffix = heartbeats.count == 1 ? "" : "@\(database)"
            facts[JournalFact.keptID.rawValue + suffix] = result.keptID.map(String.init) ?? ""
            facts[JournalFact.strategy.rawValue + suffix] = result.strategy.rawValue
        }
        facts[JournalFact.rowsDeleted.rawValue] = String(deleted)
        return facts
    }

    private func prune(_ database: String, _ context: RunContext) async throws -> PruneResult {
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
            context.say("The swap prune of \(database) was refused (\(refusal)); pruned in batches instead.")
        }
        return result
    }
}
