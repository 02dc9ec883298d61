import ArgumentParser
import MetaDump
import UpgradeEngine

/// `oms-upgrade restore`: loads a verified backup into the original databases or suffixed copies.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup made by `oms-upgrade backup` (or apply), after verifying it.",
        discussion: """
            The metadata server and its credentials come from the deployment's config.yaml (--container or --config). \
            A non-empty target database is refused without --force; with --force the backup is loaded beside it, \
            checked against the manifest, and swapped in atomically, the old tables kept in a quarantine database.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: DeploymentTarget

    @Argument(help: "The backup directory (holding manifest.json).")
    var directory: String

    @Option(help: "Restore into <database><suffix> instead of the original names.")
    var suffix: String?

    @Flag(help: "Allow restoring over non-empty databases (their tables are quarantined, never dropped).")
    var force = false

    func run() async throws {
        let logger = global.makeLogger()
        let config = try await target.loadConfig(engine: global.makeEngine(logger: logger))
        let (directory, target, force) = (directory, suffix.map(RestoreTarget.suffix) ?? .originalNames, force)
        let reporter = global.makeReporter()
        let report = try await Interruption().cancelling(on: ProcessSignals.shared) {
            try await Restorer(server: config.metaConnection(), progress: reporter)
                .restore(from: directory, into: target, force: force)
        }
        for database in report.databases {
            FileHandleOutput.standardOutput(
                "\(database.source) -> \(database.target): \(database.tables) tables, \(database.rows) rows, counts and checksums match the manifest"
                    + (database.quarantine.map { "; previous tables kept in \($0)" } ?? ""))
        }
        FileHandleOutput.standardOutput(String(format: "Restored in %.2fs.", report.durationSeconds))
    }
}
