import ArgumentParser
import Foundation
import MetaDump
import UpgradeEngine
import UpgradeReport

/// `oms-upgrade report`: one run as a self-contained HTML page or Markdown for a change ticket.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a run's report: a self-contained HTML page with the outage on a timeline, or Markdown.",
        discussion: """
            Built from the run directory (plan, journal, backup manifest, run log). The tables' row counts \
            and checksums now are read from the metadata server with config.yaml's credentials unless \
            --offline is given. Without --html or --markdown the report goes to stdout in --format.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, html
    }

    @OptionGroup var global: GlobalOptions

    @OptionGroup var location: RunLocationOptions

    @Option(help: "Write the HTML report to this file (0600).")
    var html: String?

    @Option(help: "Write the Markdown report to this file (0600).")
    var markdown: String?

    @Option(help: "The format printed on stdout when neither --html nor --markdown is given: markdown or html.")
    var format: Format = .markdown

    @Flag(help: "Do not connect to the metadata server: the tables show only the backup's counts and checksums.")
    var offline = false

    func run() async throws {
        let reporter = global.makeReporter()
        do {
            let source = try ReportSource.load(workDir: location.workDir, runID: location.run)
            var after: [String: [String: TableChecksum]]?
            var afterSource = "not computed (--offline)"
            var secrets: [String] = []
            if !offline {
                reporter.message("Reading the live tables' row counts and checksums...")
                let live = await source.liveChecksums()
                (after, afterSource, secrets) = (live.checksums, live.source, live.secrets)
                if after == nil {
                    reporter.message("The tables' current state is missing from the report: \(afterSource)")
                }
            }
            let model = source.model(after: after, afterSource: afterSource, secrets: secrets)
            if let html {
                try ReportFile.write(HTMLReport(model: model).render(), to: html)
                reporter.message("Wrote the HTML report of run \(model.runID) to \(html)")
            }
            if let markdown {
                try ReportFile.write(MarkdownReport(model: model).render(), to: markdown)
                reporter.message("Wrote the Markdown report of run \(model.runID) to \(markdown)")
            }
            if html == nil && markdown == nil {
                let text = format == .html ? HTMLReport(model: model).render() : MarkdownReport(model: model).render()
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
