import MetaDump

/// With the old OMS stopped, brings the online snapshot to exactly the live state: applies only the
/// rows changed since the copy, checks them, completes it; meanwhile removes the capture triggers.
struct CatchUpStep: RunStep {
    let id = StepID.catchUp

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let databases = context.databases.all
        let label = SnapshotOperations.label(context, generation: 1)
        let snapshot = Snapshot(server: context.metaOptions, progress: context.reporter)
        // OMS is stopped: the triggers fire no more, so they are dropped (or, where DDL is slow, made
        // inert and dropped once the new OMS serves) while the changes are applied.
        async let removal = snapshot.stopCapture(databases: databases, label: label)
        let records: [CatchUpRecord]
        do {
            records = try await snapshot.catchUp(databases: databases, label: label) {
                FaultInjection.reach("catch-up.mid")
            }
        } catch {
            _ = try? await removal
            throw error
        }
        _ = try await removal
        let keys = records.reduce(Int64(0)) { $0 + $1.changedKeys }
        let whole = records.flatMap { record in record.tablesCopiedWhole.map { "\(record.database).\($0)" } }
        context.say(
            "Caught the snapshot up: \(keys) changed rows applied and checked"
                + (whole.isEmpty ? "." : "; copied whole: \(whole.joined(separator: ", "))."))
        return JournalFact.facts([
            .snapshotLabel: label,
            .snapshotDatabases: records.map { (try? Snapshot.snapshotDatabase(of: $0.database, label: label)) ?? "" }
                .joined(separator: ","),
            .changedRows: String(keys),
            .copiedWhole: whole.joined(separator: ","),
        ])
    }
}
