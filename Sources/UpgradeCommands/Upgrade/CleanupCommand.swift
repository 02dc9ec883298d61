import ArgumentParser
import UpgradeEngine

/// `oms-upgrade cleanup`: drops a finished run's snapshot and quarantine databases.
struct CleanupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup",
        abstract: "Drop the last run's snapshot and quarantine databases (after a confirmed upgrade or a rollback).",
        discussion: "After this, `rollback` of an upgraded run can only restore from the backup files.")

    @OptionGroup var global: GlobalOptions

    @OptionGroup var location: RunLocationOptions

    @Option(help: "Clean up the newest run of the deployment whose old (or new) container has this name.")
    var container: String?

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    func run() async throws {
        let logger = global.makeLogger()
        let selected = try RunStore.select(
            RunSelection(runID: location.run, container: container), workDir: location.workDir)
        // The lock first, then the journal: no run of this deployment may move while its databases go.
        _ = try await UpgradeSession.withLock(
            selected, engine: global.makeEngine(logger: logger), reporter: global.makeReporter(), logger: logger,
            command: "cleanup", settings: .command()
        ) { [yes] context in
            let id = context.directory.runID
            let databases = try await RunCleanup.leftovers(context)
            guard !databases.isEmpty else {
                FileHandleOutput.standardOutput("Run \(id) left no snapshot or quarantine database.")
                return
            }
            FileHandleOutput.standardOutput("Run \(id) left: \(databases.joined(separator: ", "))")
            try Confirmation.require(yes: yes, question: "Drop these \(databases.count) databases?")
            try await RunCleanup.drop(context, databases: databases)
        }
    }
}
