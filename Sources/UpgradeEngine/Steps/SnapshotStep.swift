import MetaDump

/// Copies the three databases server-side into `<db>__pre_<label>` siblings: the fast way back.
struct SnapshotStep: RunStep {
    let id = StepID.snapshot

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let databases = context.databases.all
        let label = SnapshotOperations.label(context, generation: 1)
        let snapshot = Snapshot(server: context.metaOptions, progress: context.reporter)
        // OMS is stopped: the backup's manifest, made moments ago, holds the source checksums.
        let expected = Self.manifestChecksums(context)
        // The heartbeat databases (one row each by now) first and on their own, so that the crash
        // tests can stop between two snapshots; rm and cm, the large ones, are copied in parallel.
        let heartbeats = context.databases.heartbeats
        var records = try await snapshot.take(databases: heartbeats, label: label, expected: expected)
        FaultInjection.reach("snapshot.mid")
        records += try await snapshot.take(
            databases: databases.filter { !heartbeats.contains($0) }, label: label,
            expected: expected)
        return JournalFact.facts([
            .snapshotLabel: label,
            .snapshotDatabases: records.map(\.snapshotDatabase).joined(separator: ","),
        ])
    }

    /// Database → table → checksum from this run's verified backup, empty when there is none.
    static func manifestChecksums(_ context: RunContext) -> [String: [String: TableChecksum]] {
        guard let manifest = try? BackupManifest.read(from: context.directory.backupURL.path) else { return [:] }
        var sums: [String: [String: TableChecksum]] = [:]
        for database in manifest.databases {
            sums[database.name] = Dictionary(uniqueKeysWithValues: database.tables.map { ($0.name, $0.checksum) })
        }
        return sums
    }
}
