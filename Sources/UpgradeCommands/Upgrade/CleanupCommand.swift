import ArgumentParser
import UpgradeEngine

/// `oms-upgrade cleanup`: drops the databases a finished run left beside the metadata databases.
struct CleanupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup",
        abstract:
            "Drop a finished run's snapshot, quarantine and leftover probe databases (after a confirmed upgrade or a rollback).",
        discussion: """
            Lists what the run (the newest one unless --run or --container says otherwise) left: its \
            snapshot databases (<db>__pre_<label>), its quarantine databases (<db>__quarantine_<label>_<time>) \
            and the outage estimate's probe database (<rm>__probe_<label>) when a killed run left one; asks; \
            then drops them. Only a run that is upgraded or rolled back. After this, `rollback` of an \
            upgraded run can only restore from the backup files.
            """)

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
                FileHandleOutput.standardOutput("Run \(id) left no snapshot, quarantine or probe database.")
                return
            }
            FileHandleOutput.standardOutput("Run \(id) left: \(databases.joined(separator: ", "))")
            try Confirmation.require(yes: yes, question: "Drop these \(databases.count) databases?")
            try await RunCleanup.drop(context, databases: databases)
        }
    }
}
