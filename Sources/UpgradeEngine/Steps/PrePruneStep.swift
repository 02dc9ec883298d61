import MetaDump

/// Deletes old heartbeat rows in small batches while OMS still runs, so that little is left for the downtime.
///
/// Only ids below the maximum seen at the start are touched: OMS's new beats get higher ids.
struct PrePruneStep: RunStep {
    let id = StepID.prePrune

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let pruner = HeartbeatPruner(
            server: context.metaOptions, database: try context.databases.cmHeartbeat,
            progress: context.reporter)
        let result = try await pruner.prePruneOnline(throttle: .milliseconds(2))
        context.say(
            "Pruned \(result.rowsDeleted) heartbeat rows online in \(String(format: "%.2f", result.durationSeconds))s.")
        return ["rowsDeleted": String(result.rowsDeleted)]
    }
}
