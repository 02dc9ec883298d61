import ArgumentParser
import UpgradeEngine

/// `oms-upgrade cleanup`: drops the last run's snapshot and quarantine databases once it is over.
struct CleanupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup",
        abstract: "Drop the last run's snapshot and quarantine databases (after a confirmed upgrade or a rollback).",
        discussion: "After this, `rollback` of an upgraded run can only restore from the backup files.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The work directory that apply used.")
    var workDir: String = WorkDirectory.defaultPath

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    func run() async throws {
        let logger = global.makeLogger()
        do {
            let run = try RunStore.loadLatest(workDir: workDir)
            let context = try RunStore.context(for: run, engine: global.makeEngine(logger: logger),
                                               reporter: global.makeReporter(), logger: logger)
            let databases = try await RunCleanup.leftovers(context)
            guard !databases.isEmpty else {
                FileHandleOutput.standardOutput("Run \(run.directory.runID) left no snapshot or quarantine database.")
                return
            }
            FileHandleOutput.standardOutput("Run \(run.directory.runID) left: \(databases.joined(separator: ", "))")
            try Confirmation.require(yes: yes, question: "Drop these \(databases.count) databases?")
            try await RunCleanup.drop(context, databases: databases)
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
