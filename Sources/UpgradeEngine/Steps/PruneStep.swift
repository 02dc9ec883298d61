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

    func perform(_ context: RunContext, journal state: JournalState) async throws -> PruneHeartbeatsResult {
        let heartbeats = context.databases.heartbeats
        var pruned: [String: PruneHeartbeatsResult.Database] = [:]
        var deleted: Int64 = 0
        let prePrune = state.record(.prePrune)
        for database in heartbeats {
            let floor =
                prePrune.progress == .completed ? prePrune.result(PrePruneResult.self)?.prunedBelow[database] : nil
            let result = try await prune(database, floor: floor, context)
            deleted += result.rowsDeleted
            pruned[database] = .init(keptID: result.keptID, strategy: result.strategy.rawValue)
        }
        return PruneHeartbeatsResult(rowsDeleted: deleted, databases: pruned)
    }

    private func prune(_ database: String, floor: Int64?, _ context: RunContext) async throws -> PruneResult {
        let pruner = HeartbeatPruner(server: context.metaOptions, database: database, progress: context.reporter)
        // After the online pre-prune only the beats of its last moments remain, all from its bound up:
        // delete those without reading the catalog or walking the rows it deleted.
        if let floor, let result = try await pruner.pruneTail(above: floor, limit: Self.deleteThreshold) {
            return result
        }
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

extension PruneStep {
    var summary: String { "Prune the heartbeat table to its newest row" }

    var multiNodeSummary: String { "Prune every region's heatbeat_sequence to its newest row" }

    var phase: StepPhase { .outage }

    /// Keeps the newest heartbeat row by swapping in a table that holds only it.
    func manualCommands(_ manual: ManualCommands, node: ManualCommands.Node) -> [String] {
        let table = manual.heartbeatTable
        let fresh = SQL.qualified(manual.databases.cmHeartbeat, "heatbeat_sequence__new")
        let trash = SQL.qualified(manual.databases.cmHeartbeat, "heatbeat_sequence__old")
        return [
            manual.client(
                """
                CREATE TABLE \(fresh) LIKE \(table); \
                INSERT INTO \(fresh) SELECT * FROM \(table) ORDER BY id DESC LIMIT 1; \
                RENAME TABLE \(table) TO \(trash), \(fresh) TO \(table); \
                DROP TABLE \(trash)
                """)
        ]
    }
}
