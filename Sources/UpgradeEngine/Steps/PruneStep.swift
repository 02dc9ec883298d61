import MetaDump

/// Prunes the heartbeat table to its newest row with the swap strategy (batched when the server refuses).
struct PruneStep: RunStep {
    let id = StepID.prune

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let pruner = HeartbeatPruner(server: context.metaOptions, database: try context.databases.cmHeartbeat,
                                     progress: context.reporter)
        let result = try await pruner.prune(strategy: .swap, allowFallback: true)
        if let refusal = result.refusal { context.say("The swap prune was refused (\(refusal)); pruned in batches instead.") }
        return [
            "rowsDeleted": String(result.rowsDeleted),
            "keptID": result.keptID.map(String.init) ?? "",
            "strategy": result.strategy.rawValue,
        ]
    }
}
