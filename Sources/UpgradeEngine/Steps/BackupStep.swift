import Foundation
import MetaDump
import OnlineCopy

/// Writes the verified SQL backup from the snapshot databases, after the new OMS is healthy.
///
/// First it drops what a slow-DDL server's stop left inert (``Snapshot/finishCapture(databases:label:)``).
///
/// The snapshot holds the metadata exactly as it was at the stop (proved by the catch-up) and
/// nothing writes to it, so the backup is off the critical path: the files name the original
/// databases (the stock client restores them there), the manifest's checksums are compared with
/// the snapshot's, and the files are verified. A re-entered backup starts over: a dump cut short
/// by a crash is never trusted.
struct BackupStep: RunStep {
    let id = StepID.backup

    func perform(_ context: RunContext, journal state: JournalState) async throws -> BackupResult {
        let databases = context.databases.all
        let directory = context.directory.backupURL
        if FileManager.default.fileExists(atPath: directory.path) {
            context.say("Discarding the backup an interrupted attempt left in \(directory.path).")
            try FileManager.default.removeItem(at: directory)
        }
        let label = SnapshotOperations.label(context, generation: SnapshotOperations.generation(state))
        let snapshot = Snapshot(server: context.metaOptions, progress: context.reporter)
        // Where DDL is slow the stop left the capture triggers inert (and the change logs in the
        // snapshot): the new OMS serves now, so they go, before the snapshot is read.
        try await snapshot.finishCapture(databases: databases, label: SnapshotOperations.label(context, generation: 1))
        let records = try await snapshot.status(databases: databases, label: label)
        guard records.allSatisfy({ $0.state == .complete }) else {
            throw EngineError.stepFailed(
                id,
                "the snapshot \(label) is not complete (\(records.map { "\($0.snapshotDatabase): \($0.state.rawValue)" }.joined(separator: ", "))), so there is nothing exact to back up from"
            )
        }
        // The dumper kept in plan.json: native for every plan this version writes (the objects captured at the
        // stop are written only by it); a plan of an earlier build may name mysqldump.
        let dumper = context.plan.options.dumper
        var backup = Backup(
            server: context.metaOptions, databases: records.map(\.snapshotDatabase),
            directory: directory.path, dumper: dumper, progress: context.reporter)
        backup.recordAs = databases
        backup.optionFileDirectory = context.optionFileDirectory
        backup.skipTables = [Snapshot.markerTable]
        // The snapshot holds base tables only: the objects come from what the catch-up captured at the stop.
        guard let objects = try ObjectCapture.read(context) else {
            throw EngineError.stepFailed(
                id,
                "the views, triggers and routines of the databases were not captured at the stop (\(context.directory.objectsURL.path) is missing), so a backup would leave them out; roll back and run the upgrade again"
            )
        }
        backup.objects = objects
        let manifest = try await backup.run()
        FaultInjection.reach("backup.mid", context.interruption)
        var differences: [String] = []
        for record in records {
            guard let entry = manifest.databases.first(where: { $0.name == record.database }) else {
                differences.append("\(record.database) is missing from the manifest")
                continue
            }
            for (table, expected) in record.tables where entry.table(table)?.checksum != expected {
                differences.append(
                    "\(record.database).\(table): backup \(entry.table(table)?.checksum.description ?? "missing"), snapshot \(expected)"
                )
            }
            let extra = Set(entry.tables.map(\.name)).subtracting(record.tables.keys)
            if !extra.isEmpty { differences.append("\(record.database): tables not in the snapshot \(extra.sorted())") }
        }
        guard differences.isEmpty else {
            throw EngineError.stepFailed(
                id, "the backup differs from the snapshot it was written from: \(differences.joined(separator: "; "))")
        }
        let report = await BackupVerifier(progress: context.reporter).verify(directory.path)
        guard report.isValid else {
            throw EngineError.stepFailed(
                id, "the backup in \(directory.path) does not verify: \(report.problems.joined(separator: "; "))")
        }
        let rows = manifest.databases.flatMap(\.tables).reduce(Int64(0)) { $0 + $1.checksum.rowCount }
        let tables = manifest.databases.flatMap(\.tables).count
        context.say(
            String(
                format:
                    "Backed up %d tables (%lld rows) and %@ with the %@ dumper in %.2fs and verified them.",
                tables, rows, manifest.objectSummary, dumper.rawValue, manifest.durationSeconds))
        return BackupResult(
            directory: directory.path, rows: rows, tables: tables, objects: manifest.objectSummary,
            dumper: dumper.rawValue)
    }
}

extension BackupStep {
    var summary: String { "Write the verified SQL backup from the snapshot, while the new OMS serves" }

    var multiNodeSummary: String {
        "Write the verified SQL backup of rm, cm and every region's heartbeat database from the snapshot,"
            + " while the new OMS serves"
    }

    var phase: StepPhase { .after }

    /// `mysqldump` of each snapshot database into the backup directory, with its checksums.
    ///
    /// After the upgrade the live databases are migrated: the backup comes from the snapshot, named
    /// for the originals. Files are named by role, not by database name: a name may hold `/` or
    /// start with `-`.
    func manualCommands(_ manual: ManualCommands, node: ManualCommands.Node) -> [String] {
        let directory = manual.backupDirectory
        var lines = ["mkdir -p -m 700 -- \(ManualCommands.shellQuote(directory))"]
        for (role, database) in zip(["rm", "cm", "cm_hb"], manual.databases.all) {
            lines.append(
                "(umask 077 && mysqldump --defaults-extra-file=\(ManualCommands.defaultsFile) "
                    + "--single-transaction --routines --triggers --hex-blob --default-character-set=utf8mb4 "
                    + "-- \(ManualCommands.shellQuote("\(database)__pre_\(manual.label)")) > "
                    + "\(ManualCommands.shellQuote(directory + "/" + role + ".sql")))")
        }
        lines.append("(cd -- \(ManualCommands.shellQuote(directory)) && sha256sum -- *.sql > SHA256SUMS)")
        return lines
    }
}
