import Foundation
import MetaDump

/// Puts the pre-upgrade metadata back: swaps the snapshot in (the upgraded tables go to quarantine),
/// or restores the verified backup when there is no usable snapshot.
///
/// The swap only renames tables, so it checks just that the right tables are in place; the
/// contents are checked against the backup's manifest by the next step.
struct RollbackDataStep: RunStep {
    let id = StepID.rollbackData

    func perform(_ context: RunContext, journal state: JournalState) async throws -> RollbackDataResult {
        // Until the new container starts, nothing but the heartbeat prune touched the data, and
        // the prune only drops rows the vendor's procedure drops too.
        guard state.didStart(.startNew) || state.didStart(.initSchema) else {
            context.say("The metadata was not changed by the upgrade: nothing to put back.")
            return RollbackDataResult(restoredFrom: .nothing)
        }
        let result: RollbackDataResult
        // With the objects captured at the stop, they are put back below: the swap creates none of them.
        let captured = try ObjectCapture.read(context)
        if let swapped = try await SnapshotOperations.swapBack(context, state: state, createObjects: captured == nil) {
            let quarantine = swapped.compactMap(\.quarantine)
            context.say(
                "Swapped the pre-upgrade snapshot back; the upgraded tables are in \(quarantine.joined(separator: ", "))."
            )
            result = RollbackDataResult(restoredFrom: .snapshot, quarantineDatabases: quarantine)
            // The swap moves tables only: the views, triggers and routines go back as they were at the stop.
            if let objects = captured {
                let server = context.metaOptions
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (database, aside) in swapped {
                        group.addTask {
                            try await ObjectReplacement.putBack(
                                server: server, database: database, quarantine: aside, objects: objects[database] ?? [])
                        }
                    }
                    try await group.waitForAll()
                }
                let count = try await ObjectCapture.verifyLive(context, expected: objects)
                context.say("The views, triggers and routines are as they were at the stop: \(count) objects.")
            }
        } else if state.record(.backup).progress == .completed {
            context.say("No usable snapshot: restoring the verified backup instead.")
            var restorer = Restorer(server: context.metaOptions, progress: context.reporter)
            restorer.optionFileDirectory = context.optionFileDirectory
            let report = try await restorer.restore(
                from: context.directory.backupURL.path, into: .originalNames, force: true)
            result = RollbackDataResult(
                restoredFrom: .backup, quarantineDatabases: report.databases.compactMap(\.quarantine))
            let tables = try await BackupManifestCheck.verifyLive(context)
            context.say(
                "The restored metadata matches the backup: \(tables) tables, row counts and checksums, and every view, trigger and routine."
            )
        } else {
            throw EngineError.rollbackBlocked(
                "the new container may have changed the metadata, but there is neither a complete snapshot nor a verified backup of this run; inspect the databases and restore from your own backup"
            )
        }
        return result
    }
}

extension RollbackDataStep {
    var summary: String { "Put the pre-upgrade metadata back (snapshot swap or restore from the backup)" }

    var phase: StepPhase { .rollback }
}
