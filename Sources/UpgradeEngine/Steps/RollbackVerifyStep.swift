import Foundation
import MetaDump
import OnlineCopy

/// Proves the snapshot before anything is stopped: every table's row count and checksums in the
/// snapshot databases against what the catch-up recorded (and against the backup's manifest when
/// there is one), while the new OMS still serves.
///
/// The swap back that follows only renames tables, so what is proved here is what comes back.
/// Without a usable snapshot the rollback restores the backup instead, and that restore is
/// checked against the manifest right after it (``RollbackDataStep``).
struct RollbackVerifyStep: RunStep {
    let id = StepID.rollbackVerify

    func perform(_ context: RunContext, journal state: JournalState) async throws -> RollbackVerifyResult {
        guard state.didStart(.startNew) || state.didStart(.initSchema) else {
            return RollbackVerifyResult(checked: false)
        }
        let databases = context.databases.all
        let label = SnapshotOperations.label(context, generation: SnapshotOperations.generation(state))
        let records = try await Snapshot(server: context.metaOptions, progress: context.reporter)
            .status(databases: databases, label: label)
        guard records.allSatisfy({ $0.state == .complete }) else { return RollbackVerifyResult(checked: false) }
        let manifest = try? BackupManifest.read(from: context.directory.backupURL.path)
        var differences: [String] = []
        var tables = 0
        for record in records {
            let sums = try await DatabaseChecksums.compute(
                server: context.metaOptions, database: record.snapshotDatabase,
                workers: 3)
            let entry = manifest?.databases.first { $0.name == record.database }
            for (table, expected) in record.tables {
                tables += 1
                if sums[table] != expected {
                    differences.append(
                        "\(record.snapshotDatabase).\(table): \(sums[table]?.description ?? "missing"), recorded \(expected)"
                    )
                }
                if let entry, entry.table(table)?.checksum != expected {
                    differences.append(
                        "\(record.database).\(table): backup manifest \(entry.table(table)?.checksum.description ?? "missing"), snapshot \(expected)"
                    )
                }
            }
        }
        guard differences.isEmpty else {
            throw EngineError.rollbackBlocked(
                "the snapshot does not match what was recorded at the stop: \(differences.joined(separator: "; ")). Nothing was stopped or changed; restore from the backup with `oms-upgrade restore --force` if there is one"
            )
        }
        context.say(
            "The snapshot matches what was recorded at the stop: \(tables) tables, row counts and checksums (checked while the new OMS still serves)."
        )
        // The swap back's quarantine databases and saved definitions, before anything stops.
        try await SnapshotOperations.prepareSwapBack(context, state: state)
        return RollbackVerifyResult(checked: true, tables: tables)
    }
}

/// Checks the live databases against the backup's manifest (after a restore from the backup).
enum BackupManifestCheck {
    static func verifyLive(_ context: RunContext) async throws -> Int {
        let directory = context.directory.backupURL
        let manifest = try BackupManifest.read(from: directory.path)
        var differences: [String] = []
        var tables = 0
        for database in manifest.databases {
            let live = try await DatabaseChecksums.compute(
                server: context.metaOptions, database: database.name, workers: 3)
            for table in database.tables {
                tables += 1
                if live[table.name] != table.checksum {
                    differences.append(
                        "\(database.name).\(table.name): \(live[table.name]?.description ?? "missing"), expected \(table.checksum)"
                    )
                }
            }
            if let objects = database.objects {
                let found = try await RestoreCheck.objects(server: context.metaOptions, database: database.name)
                differences += RestoreCheck.objectProblems(found, expected: objects).map { "\(database.name): \($0)" }
            }
        }
        guard differences.isEmpty else {
            throw EngineError.rollbackBlocked(
                "the restored metadata differs from the pre-upgrade backup: \(differences.joined(separator: "; ")). The backup in \(directory.path) is intact; restore it with `oms-upgrade restore --force`"
            )
        }
        return tables
    }
}

extension RollbackVerifyStep {
    var summary: String { "Check the snapshot's row counts and checksums while the new OMS still serves" }

    var phase: StepPhase { .rollback }
}
