import MetaDump

/// Deletes old heartbeat rows in small batches while OMS still runs, so that little is left for the downtime.
///
/// Only ids below the maximum seen at the start are touched: OMS's new beats get higher ids.
/// Every region's heartbeat database is pruned, one after the other.
struct PrePruneStep: RunStep {
    let id = StepID.prePrune

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        var deleted: Int64 = 0
        var facts: [String: String] = [:]
        for database in context.databases.heartbeats {
            let pruner = HeartbeatPruner(server: context.metaOptions, database: database, progress: context.reporter)
            let result = try await pruner.prePruneOnline(throttle: .milliseconds(2))
            deleted += result.rowsDeleted
            if let bound = result.prunedBelow { facts[PruneStep.floorKey(database)] = String(bound) }
            context.say(
                "Pruned \(result.rowsDeleted) heartbeat rows of \(database) online in \(String(format: "%.2f", result.durationSeconds))s."
            )
        }
        facts[JournalFact.rowsDeleted.rawValue] = String(deleted)
        return facts
    }
}
