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
