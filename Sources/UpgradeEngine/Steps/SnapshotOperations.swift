import MetaDump
import OnlineCopy

/// The snapshot bookkeeping shared by the init step's re-entry and the rollback.
///
/// A run's snapshots are labelled `<target digits>_<run token>_<generation>`, e.g. `330_t5k2m1_1`,
/// unique per run and short enough for MySQL's 64-character database names (see
/// ``maximumDatabaseNameLength``). Generation 1 is taken by the snapshot step; each re-entered
/// init swaps the current generation back (putting the pre-upgrade data in place) and takes the
/// next one, noting it in the journal first.
enum SnapshotOperations {
    /// The label of `generation` for this run.
    static func label(_ context: RunContext, generation: Int) -> String {
        "\(context.label.prefix(3))_\(context.directory.shortToken)_\(generation)"
    }

    /// The longest metadata database name whose quarantine sibling
    /// (`<db>__quarantine_<label>_<yyyyMMddHHmmss>`) still fits in 64 characters.
    static let maximumDatabaseNameLength = 64 - "__quarantine_".count - "330_t5k2m1_10".count - 1 - 14

    /// The snapshot generation in force, from the journal.
    static func generation(_ state: JournalState) -> Int {
        Int(state.record(.initSchema)[.snapshotGeneration] ?? "") ?? 1
    }

    /// Puts the pre-upgrade data back from the current snapshot and takes a fresh one, finishing an interrupted attempt.
    static func restoreAndRetake(_ context: RunContext, state: JournalState) async throws {
        let databases = context.databases.all
        let snapshot = Snapshot(server: context.metaOptions, progress: context.reporter)
        let generation = generation(state)
        let current = label(context, generation: generation)
        let records = try await snapshot.status(databases: databases, label: current)
        if records.contains(where: { $0.state == .absent || $0.state == .copying }) {
            // This generation's copy was interrupted; init has not run on top of it, so the live data is the pre-upgrade data.
            _ = try await snapshot.take(databases: databases, label: current)
            return
        }
        _ = try await snapshot.swapBack(databases: databases, label: current, verification: .rowCounts)
        let next = generation + 1
        try context.journal.append(.note, step: .initSchema, facts: [.snapshotGeneration: String(next)])
        _ = try await snapshot.take(databases: databases, label: label(context, generation: next))
    }

    /// Swaps the current snapshot back for a rollback; returns each database's quarantine database, or nil when
    /// there was nothing to swap.
    ///
    /// Without `createObjects` the views and triggers are left to the caller (which puts back every
    /// object captured at the stop).
    static func swapBack(_ context: RunContext, state: JournalState, createObjects: Bool = true) async throws -> [(
        database: String, quarantine: String?
    )]? {
        let databases = context.databases.all
        let snapshot = Snapshot(server: context.metaOptions, progress: context.reporter)
        let current = label(context, generation: generation(state))
        let records = try await snapshot.status(databases: databases, label: current)
        if records.contains(where: { $0.state == .absent || $0.state == .copying }) { return nil }
        let swapped = try await snapshot.swapBack(
            databases: databases, label: current, verification: .tablesOnly, createObjects: createObjects)
        return swapped.map { ($0.database, $0.quarantineDatabase) }
    }

    /// Before the new container stops: names and creates the quarantine databases of the swap back
    /// and saves the live views' and triggers' definitions there (``Snapshot/prepareSwapBack(databases:label:)``).
    static func prepareSwapBack(_ context: RunContext, state: JournalState) async throws {
        let current = label(context, generation: generation(state))
        try await Snapshot(server: context.metaOptions, progress: context.reporter)
            .prepareSwapBack(databases: context.databases.all, label: current)
    }
}
