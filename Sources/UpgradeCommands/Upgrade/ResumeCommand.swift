import ArgumentParser
import UpgradeEngine

/// `oms-upgrade resume`: continues an interrupted run from the step it stopped in.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted upgrade (or rollback) from the step it stopped in.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The work directory that apply used.")
    var workDir: String = WorkDirectory.defaultPath

    @Flag(help: "Do not roll back automatically when a step fails.")
    var noAutoRollback = false

    @Option(help: "Seconds to wait for OMS to report healthy (default: the value apply used).")
    var healthTimeout: Int?

    @Flag(help: "Print the run's summary as one JSON document.")
    var json = false

    func run() async throws {
        let logger = global.makeLogger()
        do {
            let summary = try await UpgradeSession.resume(
                workDir: workDir, engine: global.makeEngine(logger: logger), reporter: global.makeReporter(),
                logger: logger, autoRollback: !noAutoRollback, healthTimeout: healthTimeout)
            try SummaryOutput.print(summary, json: json)
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
