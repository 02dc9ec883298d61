import Foundation
import MetaDump

/// Dumps the three metadata databases into the run's `backup/` folder and verifies the files.
///
/// A re-entered backup starts over: a dump cut short by a crash is never trusted.
struct BackupStep: RunStep {
    let id = StepID.backup

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let databases = try context.databases
        let directory = context.directory.backupURL
        if FileManager.default.fileExists(atPath: directory.path) {
            context.say("Discarding the backup an interrupted attempt left in \(directory.path).")
            try FileManager.default.removeItem(at: directory)
        }
        let dumper = BackupDumper(rawValue: context.plan.options.dumper) ?? .native
        let manifest = try await Backup(server: context.metaOptions, databases: databases.all,
                                        directory: directory.path, dumper: dumper, progress: context.reporter).run()
        FaultInjection.reach("backup.mid")
        let report = await BackupVerifier(progress: context.reporter).verify(directory.path)
        guard report.isValid else {
            throw EngineError.stepFailed(id, "the backup in \(directory.path) does not verify: \(report.problems.joined(separator: "; "))")
        }
        let rows = manifest.databases.flatMap(\.tables).reduce(Int64(0)) { $0 + $1.checksum.rowCount }
        context.say(String(format: "Backed up %d tables (%lld rows) with the %@ dumper in %.2fs and verified them.",
                           manifest.databases.flatMap(\.tables).count, rows, dumper.rawValue, manifest.durationSeconds))
        return JournalFact.facts([
            .backupDirectory: directory.path, .backupRows: String(rows), .dumper: dumper.rawValue,
        ])
    }
}
