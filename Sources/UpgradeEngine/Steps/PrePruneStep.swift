import MetaDump

/// Deletes old heartbeat rows in small batches while OMS still runs, so that little is left for the downtime.
///
/// Only ids below the maximum seen at the start are touched: OMS's new beats get higher ids.
/// Every region's heartbeat database is pruned, one after the other.
struct PrePruneStep: RunStep {
    let id = StepID.prePrune

    func perform(_ context: RunContext, journal state: JournalState) async throws -> PrePruneResult {
        var deleted: Int64 = 0
        var bounds: [String: Int64] = [:]
        for database in context.databases.heartbeats {
            let pruner = HeartbeatPruner(server: context.metaOptions, database: database, progress: context.reporter)
            let result = try await pruner.prePruneOnline(throttle: .milliseconds(2))
            deleted += result.rowsDeleted
            if let bound = result.prunedBelow { bounds[database] = bound }
            context.say(
                "Pruned \(result.rowsDeleted) heartbeat rows of \(database) online in \(String(format: "%.2f", result.durationSeconds))s."
            )
        }
        return PrePruneResult(rowsDeleted: deleted, prunedBelow: bounds)
    }
}

extension PrePruneStep {
    var summary: String { "Prune old heartbeat rows online, while OMS still runs" }

    var multiNodeSummary: String { "Prune old heartbeat rows of every region online, while OMS still runs" }

    var phase: StepPhase { .online }

    /// Deletes the heartbeat rows below the maximum at the start, in batches, until none is left.
    func manualCommands(_ manual: ManualCommands, node: ManualCommands.Node) -> [String] {
        let mysql = ManualCommands.mysql
        let select = "SELECT MAX(id) FROM \(manual.heartbeatTable)"
        let delete = ManualCommands.shellQuote("DELETE FROM \(manual.heartbeatTable) WHERE id < ")
        return [
            "max=$(\(mysql) -N -e \(ManualCommands.shellQuote(select)))",
            "while n=$(\(mysql) -N -e \(delete)\"$max\"\(ManualCommands.shellQuote(" LIMIT 20000; SELECT ROW_COUNT()"))) && [ \"$n\" -gt 0 ]; do sleep 0.1; done",
        ]
    }
}
