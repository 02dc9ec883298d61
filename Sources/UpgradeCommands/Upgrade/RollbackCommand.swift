import ArgumentParser
import UpgradeEngine

/// `oms-upgrade rollback`: puts the pre-upgrade deployment back, also after a finished upgrade.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract:
            "Roll a run back (the newest unless --run or --container): stop the new container, put the pre-upgrade metadata back (snapshot swap, else restore from the backup), restart the old container."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var runOptions: RunOptions

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    func run() async throws {
        let logger = global.makeLogger()
        try Confirmation.require(yes: yes, question: "Roll back the last upgrade run in \(runOptions.workDir)?")
        let summary = try await UpgradeSession.rollback(
            workDir: runOptions.workDir, selection: runOptions.selection, engine: global.makeEngine(logger: logger),
            reporter: global.makeReporter(), logger: logger, healthTimeout: runOptions.healthTimeout,
            settings: runOptions.settings)
        try SummaryOutput.print(summary, json: runOptions.json)
    }
}
