import Foundation
import MetaDB

/// The parts of a restore, in the order they run: decide, create, load, check, swap in.
extension Restorer {
    /// One database of a restore: its entry in the backup, the name it gets, and where it is loaded.
    struct Placement: Sendable {
        var entry: BackupManifest.Database
        /// The name the database is restored to.
        var target: String
        /// The database loaded into: `target`, or a staging sibling when `target` is not empty.
        var load: String
        /// Whether it is loaded into a staging sibling and swapped in afterwards.
        var staged: Bool
    }

    /// The objects keep their definers: refuses the restore when one does not exist on the target.
    func checkDefiners(of manifest: BackupManifest, from directory: String, coordinator: AsyncConnection)
        async throws
    {
        let definers = Set(manifest.databases.flatMap { ($0.objects ?? []).compactMap(\.definer) })
        let definerCheck = try await coordinator.withConnection { connection in
            try withContext("Checking the definers of the backup's objects") {
                try DefinerCheck.check(connection, definers: definers)
            }
        }
        if !definerCheck.missing.isEmpty { throw DefinerCheck.refusal(definerCheck.missing, directory: directory) }
        if !definerCheck.unchecked.isEmpty {
            progress.message(
                "Could not check that the definers \(definerCheck.unchecked.joined(separator: ", ")) exist (no access to mysql.user); restoring anyway."
            )
        }
    }

    /// Decides each database's target and whether it is staged; refuses a non-empty target without `force`.
    func place(
        _ manifest: BackupManifest, into target: RestoreTarget, force: Bool, at now: Date,
        coordinator: AsyncConnection
    ) async throws -> [Placement] {
        var placements: [Placement] = []
        for entry in manifest.databases {
            let name = target.name(for: entry.name)
            guard name.count <= DatabaseNames.maxLength, !name.isEmpty else {
                throw MetaDumpError(
                    .invalidArgument, action: "Restoring `\(entry.name)` as `\(name)`",
                    reason: "the name is empty or longer than \(DatabaseNames.maxLength) characters")
            }
            let existing = try await coordinator.withConnection { connection in
                try withContext("Inspecting database `\(name)`", database: name) {
                    try connection.databaseExists(name) ? connection.tableNames(name) : (tables: [], views: [])
                }
            }
            let objects = existing.tables.count + existing.views.count
            if objects > 0 && !force {
                throw MetaDumpError(
                    .refused, action: "Restoring `\(entry.name)` into `\(name)`",
                    reason:
                        "database `\(name)` is not empty (\(existing.tables.count) tables, \(existing.views.count) views), and restore never overwrites data",
                    database: name,
                    remedy:
                        "Restore under other names (a suffix), drop `\(name)` yourself, or use --force: the backup is then loaded into a staging database, checked, and swapped in, and the current tables move to a quarantine database."
                )
            }
            let staged = objects > 0
            placements.append(
                Placement(
                    entry: entry, target: name,
                    load: staged ? try DatabaseNames.restoreStaging(name, at: now) : name, staged: staged))
        }
        return placements
    }

    /// Creates the databases to load into; a staging database that exists already is refused.
    func createDatabases(_ placements: [Placement], coordinator: AsyncConnection) async throws {
        for placement in placements {
            try await coordinator.withConnection { connection in
                try withContext("Creating database `\(placement.load)`", database: placement.load) {
                    if placement.staged, try connection.databaseExists(placement.load) {
                        throw MetaDumpError(
                            .refused, action: "Creating staging database `\(placement.load)`",
                            reason: "it exists already", database: placement.load,
                            remedy: "Drop it or wait a second and retry.")
                    }
                    try connection.execute(
                        TableSwap.createDatabase(
                            placement.load, characterSet: placement.entry.characterSet,
                            collation: placement.entry.collation))
                }
            }
        }
    }

    /// Loads each file into its database: native dumps in parallel, mysqldump files through the client.
    func load(
        _ placements: [Placement], dumper: BackupDumper, scans: [String: DumpFileScan], from directory: String
    ) async throws {
        switch dumper {
        case .native:
            let jobs = try placements.map { placement in
                guard let scan = scans[placement.entry.name] else {
                    throw MetaDumpError(
                        .inconsistent, action: "Restoring `\(placement.entry.name)`",
                        reason: "the verification of the backup did not read its file \(placement.entry.file.name)",
                        database: placement.entry.name, file: directory + "/" + placement.entry.file.name)
                }
                return NativeLoader.FileJob(
                    entry: placement.entry, loadDatabase: placement.load,
                    path: directory + "/" + placement.entry.file.name, scan: scan)
            }
            try await NativeLoader(server: server, workers: workers, progress: progress).load(jobs)
        case .mysqldump:
            for placement in placements {
                try await loadWithClient(path: directory + "/" + placement.entry.file.name, into: placement.load)
                try await pointViewsAtOwnDatabase(placement.load, original: placement.entry.name)
            }
        }
    }

    /// Checks every loaded table against the manifest, databases in parallel.
    func check(_ placements: [Placement]) async throws {
        let (checkServer, checkWorkers, checkProgress) = (server, workers, progress)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for placement in placements {
                group.addTask {
                    try await RestoreCheck.compare(
                        server: checkServer, database: placement.load, with: placement.entry, workers: checkWorkers,
                        progress: checkProgress)
                }
            }
            try await group.waitForAll()
        }
    }

    /// Swaps the staged databases in (the tables there move to a quarantine database) and says what was restored.
    func swapIn(_ placements: [Placement], at now: Date, coordinator: AsyncConnection) async throws
        -> [RestoreReport.Database]
    {
        var results: [RestoreReport.Database] = []
        for placement in placements {
            var quarantine: String?
            if placement.staged {
                let q = try DatabaseNames.quarantine(placement.target, label: "restore", at: now)
                quarantine = q
                try await coordinator.withConnection { connection in
                    try swapStaged(placement, quarantine: q, on: connection)
                }
                progress.message(
                    "Restored `\(placement.entry.name)` into `\(placement.target)`; its previous tables are in `\(q)`")
            } else {
                progress.message("Restored `\(placement.entry.name)` into `\(placement.target)`")
            }
            results.append(
                RestoreReport.Database(
                    source: placement.entry.name, target: placement.target, tables: placement.entry.tables.count,
                    rows: placement.entry.tables.reduce(0) { $0 + $1.rowCount }, quarantine: quarantine))
        }
        return results
    }

    /// Swaps one staged database's tables into its target, then its views, triggers and routines.
    private func swapStaged(_ placement: Placement, quarantine q: String, on connection: Connection) throws {
        try withContext("Swapping the restored tables into `\(placement.target)`", database: placement.target) {
            let staged = try connection.tableNames(placement.load)
            // Read every object of the staging copy before its views go: they are created again in
            // the live database, with their definers, once its tables are in place.
            let objects = try ObjectDefinition.all(connection, in: placement.load)
            for view in staged.views {
                try connection.execute("DROP VIEW \(SQL.qualified(placement.load, view))")
            }
            try TableSwap.swap(
                connection, live: placement.target, source: placement.load, incoming: staged.tables,
                quarantine: q, characterSet: placement.entry.characterSet,
                collation: placement.entry.collation, views: [], triggers: [])
            try ObjectReplacement.replace(
                connection, live: placement.target, quarantine: q, characterSet: placement.entry.characterSet,
                collation: placement.entry.collation, objects: objects)
            let left = try connection.tableNames(placement.load)
            if left.tables.isEmpty && left.views.isEmpty {
                try connection.execute("DROP DATABASE \(SQL.quoteIdentifier(placement.load))")
            }
        }
    }
}
