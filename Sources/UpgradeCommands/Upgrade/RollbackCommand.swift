import ArgumentParser
import UpgradeEngine

/// `oms-upgrade rollback`: puts the pre-upgrade deployment back, also after a finished upgrade.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Roll the last run back: stop the new container, swap the pre-upgrade metadata back, restart the old container.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The work directory that apply used.")
    var workDir: String = WorkDirectory.defaultPath

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    @Option(help: "Seconds to wait for OMS to report healthy (default: the value apply used).")
    var healthTimeout: Int?

    @Flag(help: "Print the run's summary as one JSON document.")
    var json = false

    func run() async throws {
        let logger = global.makeLogger()
        do {
            try Confirmation.require(yes: yes, question: "Roll back the last upgrade run in \(workDir)?")
            let summary = try await UpgradeSession.rollback(
                workDir: workDir, engine: global.makeEngine(logger: logger), reporter: global.makeReporter(), logger: logger, healthTimeout: healthTimeout)
            try SummaryOutput.print(summary, json: json)
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
