import Foundation
import MetaDump

/// Puts the pre-upgrade metadata back: swaps the snapshot in (the upgraded tables go to quarantine),
/// or restores the verified backup when there is no usable snapshot, then checks the result
/// against the backup's manifest.
struct RollbackDataStep: RunStep {
    let id = StepID.rollbackData

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        // Until the new container starts, nothing but the heartbeat prune touched the data, and
        // the prune only drops rows the vendor's procedure drops too.
        guard state.didStart(.startNew) || state.didStart(.initSchema) else {
            context.say("The metadata was not changed by the upgrade: nothing to put back.")
            return ["restoredFrom": "nothing"]
        }
        var facts: [String: String] = [:]
        if let quarantine = try await SnapshotOperations.swapBack(context, state: state) {
            context.say("Swapped the pre-upgrade snapshot back; the upgraded tables are in \(quarantine.joined(separator: ", ")).")
            facts["restoredFrom"] = "snapshot"
            facts["quarantineDatabases"] = quarantine.joined(separator: ",")
        } else if state.record(.backup).progress == .completed {
            context.say("No usable snapshot: restoring the verified backup instead.")
            let report = try await Restorer(server: context.metaOptions, progress: context.reporter)
                .restore(from: context.directory.backupURL.path, into: .originalNames, force: true)
            facts["restoredFrom"] = "backup"
            facts["quarantineDatabases"] = report.databases.compactMap(\.quarantine).joined(separator: ",")
        } else {
            throw EngineError.rollbackBlocked(
                "the new container may have changed the metadata, but there is neither a complete snapshot nor a verified backup of this run; inspect the databases and restore from your own backup")
        }
        try await checkAgainstManifest(context)
        return facts
    }

    /// Compares every table's row count and checksums with the backup's manifest, when the run has one.
    private func checkAgainstManifest(_ context: RunContext) async throws {
        let directory = context.directory.backupURL
        guard FileManager.default.fileExists(atPath: directory.appending(path: BackupManifest.fileName).path) else { return }
        let manifest = try BackupManifest.read(from: directory.path)
        var differences: [String] = []
        for database in manifest.databases {
            let live = try await DatabaseChecksums.compute(server: context.metaOptions, database: database.name)
            for table in database.tables where live[table.name] != table.checksum {
                differences.append("\(database.name).\(table.name): \(live[table.name]?.description ?? "missing"), expected \(table.checksum)")
            }
        }
        guard differences.isEmpty else {
            throw EngineError.rollbackBlocked("the restored metadata differs from the pre-upgrade backup: \(differences.joined(separator: "; ")). The backup in \(context.directory.backupURL.path) is intact; restore it with `oms-upgrade restore --force`")
        }
        context.say("The metadata matches the pre-upgrade backup (row counts and checksums of every table).")
    }
}
