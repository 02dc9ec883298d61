import MetaDump

/// Copies the three databases server-side into `<db>__pre_<label>` siblings: the fast way back.
struct SnapshotStep: RunStep {
    let id = StepID.snapshot

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let databases = try context.databases.all
        let label = SnapshotOperations.label(context, generation: 1)
        let snapshot = Snapshot(server: context.metaOptions, progress: context.reporter)
        // The first database on its own, so that the crash tests can stop between two snapshots.
        var records = try await snapshot.take(databases: [databases[0]], label: label)
        FaultInjection.reach("snapshot.mid")
        records += try await snapshot.take(databases: Array(databases.dropFirst()), label: label)
        return [
            "snapshotLabel": label,
            "snapshotDatabases": records.map(\.snapshotDatabase).joined(separator: ","),
        ]
    }
}
