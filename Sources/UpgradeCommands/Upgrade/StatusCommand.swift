import ArgumentParser
import UpgradeEngine

/// `oms-upgrade status`: the current or last run's steps, timings, backups and what resume or rollback would do.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the current or last upgrade run: steps, timings, backups, and what resume or rollback would do.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The work directory that apply used.")
    var workDir: String = WorkDirectory.defaultPath

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    func run() async throws {
        do {
            let run = try RunStore.loadLatest(workDir: workDir)
            let summary = RunSummary(plan: run.plan, directory: run.directory, state: run.journal.replayed)
            try SummaryOutput.print(summary, json: json)
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
