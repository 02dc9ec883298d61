import MetaDump
import OnlineCopy

/// Copies the three databases into their snapshot siblings while the old OMS still serves, with
/// triggers capturing every change from then on, so that the downtime only catches up.
///
/// The capture is journaled before any trigger exists, so that every later path (resume,
/// rollback, a failure) knows to remove the triggers. A re-entered copy starts over: nothing
/// depends on a partial copy while OMS runs.
struct OnlineCopyStep: RunStep {
    let id = StepID.onlineCopy

    func perform(_ context: RunContext, journal state: JournalState) async throws -> OnlineCopyResult {
        let databases = context.databases.all
        let label = SnapshotOperations.label(context, generation: 1)
        try context.journal.append(.note, step: id, facts: [.captureLabel: label])
        let snapshot = Snapshot(server: context.metaOptions, progress: context.reporter)
        let records = try await snapshot.copyOnline(databases: databases, label: label) {
            FaultInjection.reach("online-copy.mid", context.interruption)
        }
        let rows = records.reduce(Int64(0)) { $0 + $1.rows }
        let captured = records.reduce(0) { $0 + $1.capturedTables.count }
        context.say("Copied \(rows) rows of \(captured) tables online; their changes are captured until the stop.")
        let whole = records.flatMap { record in
            record.copiedAtStop.sorted { $0.key < $1.key }.map { "\(record.database).\($0.key) (\($0.value))" }
        }
        if !whole.isEmpty {
            context.say("Copied whole during the downtime instead: \(whole.joined(separator: "; ")).")
        }
        var timing = CaptureDDLTiming()
        for record in records {
            timing.statements += record.captureDDL.statements
            timing.seconds += record.captureDDL.seconds
        }
        return OnlineCopyResult(
            snapshotLabel: label, snapshotDatabases: records.map(\.snapshotDatabase), rowsCopied: rows,
            capturedTables: captured, copiedAtStop: whole, captureDDLSeconds: timing.mean)
    }
}

extension OnlineCopyStep {
    var summary: String { "Copy the metadata online into the snapshot databases, capturing changes with triggers" }

    var multiNodeSummary: String {
        "Copy rm, cm and every region's heartbeat database online into the snapshot databases,"
            + " capturing changes with triggers"
    }

    var phase: StepPhase { .online }

    /// None: the guide copies nothing while OMS runs (the catch-up's snapshot is taken in the downtime).
    func manualCommands(_ manual: ManualCommands, node: ManualCommands.Node) -> [String] {
        [
            "# no manual equivalent: the guide copies nothing while OMS runs (the snapshot below is taken in the downtime)"
        ]
    }
}
