import MetaDump

/// Copies the three databases server-side into `<db>__pre_<label>` siblings: the fast way back.
struct SnapshotStep: RunStep {
    let id = StepID.snapshot

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let databases = try context.databases.all
        let label = SnapshotOperations.label(context, generation: 1)
        let snapshot = Snapshot(server: context.metaOptions, progress: context.reporter)
        // The heartbeat database (one row by now) first and on its own, so that the crash tests
        // can stop between two snapshots; rm and cm, the large ones, are copied in parallel.
        let heartbeat = try context.databases.cmHeartbeat
        var records = try await snapshot.take(databases: [heartbeat], label: label)
        FaultInjection.reach("snapshot.mid")
        records += try await snapshot.take(databases: databases.filter { $0 != heartbeat }, label: label)
        return [
            "snapshotLabel": label,
            "snapshotDatabases": records.map(\.snapshotDatabase).joined(separator: ","),
        ]
    }
}
