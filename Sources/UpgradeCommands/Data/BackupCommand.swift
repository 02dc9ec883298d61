import ArgumentParser
import Foundation
import MetaDump
import UpgradeEngine

/// `oms-upgrade backup`: dumps rm, cm and cm_hb to SQL files with a manifest, then verifies them.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract:
            "Back up the metadata databases to SQL files the stock client restores, with a manifest of counts and checksums."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: DeploymentTarget

    @Option(help: "The directory to create for the backup (must not exist or be empty; default: ./oms-backup-<time>).")
    var out: String?

    @Option(help: "native (default: parallel, exact, over libmariadb) or mysqldump (the stock tool).")
    var dumper: BackupDumper = .native

    @Flag(help: "Print the manifest as JSON on stdout.")
    var json = false

    func run() async throws {
        let logger = global.makeLogger()
        let reporter = global.makeReporter()
        let config = try await target.loadConfig(engine: global.makeEngine(logger: logger))
        let directory = out ?? "oms-backup-\(RunDirectory.newRunID(container: "meta"))"
        // A signal cancels the dump: the client program is ended and its option file removed.
        let dumper = self.dumper
        let manifest = try await Interruption().cancelling(on: ProcessSignals.shared) {
            try await Backup(
                server: config.metaConnection(), databases: config.databases.all,
                directory: directory, dumper: dumper, progress: reporter
            ).run()
        }
        let report = await BackupVerifier(progress: reporter).verify(directory)
        guard report.isValid else {
            throw DataCommandError.backupDoesNotVerify(directory: directory, problems: report.problems)
        }
        if json {
            try FileHandleOutput.json(manifest)
        } else {
            for database in manifest.databases {
                let rows = database.tables.reduce(Int64(0)) { $0 + $1.checksum.rowCount }
                FileHandleOutput.standardOutput(
                    "\(database.name): \(database.tables.count) tables, \(Self.objects(database)), \(rows) rows -> \(directory)/\(database.file.name) (\(database.file.size) bytes, sha256 \(database.file.sha256.prefix(16))...)"
                )
            }
            FileHandleOutput.standardOutput(
                String(format: "Backup verified in %@ (%.2fs).", directory, manifest.durationSeconds))
        }
    }
}

extension BackupCommand {
    /// The views, triggers, routines and events of one database of a manifest, e.g. "1 view, 2 triggers".
    static func objects(_ database: BackupManifest.Database) -> String {
        BackupManifest.objectSummary(of: [database])
    }
}

extension BackupDumper: ExpressibleByArgument {}
