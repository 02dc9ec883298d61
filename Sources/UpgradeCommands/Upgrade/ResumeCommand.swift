import ArgumentParser
import UpgradeEngine

/// `oms-upgrade resume`: continues an interrupted run from the step it stopped in.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted upgrade (or rollback) from the step it stopped in.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var runOptions: RunOptions

    @Flag(
        inversion: .prefixedNo,
        help: "Roll back automatically when a step fails (default: the choice apply was run with).")
    var autoRollback: Bool?

    func run() async throws {
        let logger = global.makeLogger()
        let summary = try await UpgradeSession.resume(
            workDir: runOptions.workDir, selection: runOptions.selection, engine: global.makeEngine(logger: logger),
            reporter: global.makeReporter(), logger: logger, autoRollback: autoRollback,
            healthTimeout: runOptions.healthTimeout, settings: runOptions.settings)
        try SummaryOutput.print(summary, json: runOptions.json)
    }
}
