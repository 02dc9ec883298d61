import Foundation
import MetaDump

/// Checks every table's row count and checksums against the pre-upgrade backup's manifest.
///
/// It runs before HA is switched back and before the old container starts, while nothing
/// writes to the metadata. Without a backup (the run stopped before it), there is nothing to
/// compare with and nothing was restored from one.
struct RollbackVerifyStep: RunStep {
    let id = StepID.rollbackVerify

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let directory = context.directory.backupURL
        guard state.record(.rollbackData)[.restoredFrom] != "nothing",
              FileManager.default.fileExists(atPath: directory.appending(path: BackupManifest.fileName).path)
        else { return ["checked": "false"] }
        let manifest = try BackupManifest.read(from: directory.path)
        var differences: [String] = []
        var tables = 0
        for database in manifest.databases {
            let live = try await DatabaseChecksums.compute(server: context.metaOptions, database: database.name, workers: 3)
            for table in database.tables {
                tables += 1
                if live[table.name] != table.checksum {
                    differences.append("\(database.name).\(table.name): \(live[table.name]?.description ?? "missing"), expected \(table.checksum)")
                }
            }
        }
        guard differences.isEmpty else {
            throw EngineError.rollbackBlocked("the restored metadata differs from the pre-upgrade backup: \(differences.joined(separator: "; ")). The backup in \(directory.path) is intact; restore it with `oms-upgrade restore --force`")
        }
        context.say("The metadata matches the pre-upgrade backup: \(tables) tables, row counts and checksums.")
        return ["checked": "true", "tables": String(tables)]
    }
}
