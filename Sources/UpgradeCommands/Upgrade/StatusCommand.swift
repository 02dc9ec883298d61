import ArgumentParser
import Foundation
import UpgradeEngine

/// `oms-upgrade status`: a run's steps, timings, backups and what resume or rollback would do,
/// plus every run in the work directory.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show the current or last upgrade run: steps, timings, backups, and what resume or rollback would do.",
        discussion: "The work directory may hold runs of several deployments: they are listed, and --run picks one.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The work directory that apply used.")
    var workDir: String = WorkDirectory.defaultPath

    @Option(name: .customLong("run"), help: "The run to show (its id); default: the newest run of the deployment.")
    var runID: String?

    @Option(help: "Show the newest run of the deployment whose old (or new) container has this name.")
    var container: String?

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    func run() async throws {
        let runs = try RunStore.loadAll(workDir: workDir).map(RunStore.listing)
        let selected: RunStore.LoadedRun
        do {
            selected = try RunStore.select(RunSelection(runID: runID, container: container), workDir: workDir)
        } catch EngineError.noRun(let text) where !runs.isEmpty && runID == nil {
            // Several deployments and no choice: list the runs rather than guess.
            if json {
                try FileHandleOutput.json(RunListingDocument(runs: runs, lock: LockStatus.read(workDir: workDir)))
            } else {
                FileHandleOutput.standardOutput(RunListingText.render(runs, workDir: workDir))
                FileHandleOutput.standardError(text)
            }
            return
        }
        var summary = RunSummary(
            plan: selected.plan, directory: selected.directory,
            state: selected.journal.replayed)
        summary.runs = runs
        summary.lock = LockStatus.read(workDir: workDir)
        if json {
            try FileHandleOutput.json(summary)
        } else {
            FileHandleOutput.standardOutput(
                summary.renderText() + "\n" + LockText.render(workDir: workDir) + "\n"
                    + RunListingText.render(runs, workDir: workDir))
        }
    }
}

/// `status --json` when the work directory holds runs of several deployments and none was picked.
struct RunListingDocument: Encodable {
    var runs: [RunListing]
    var lock: LockStatus
}

/// The runs of a work directory as text lines.
enum RunListingText {
    static func render(_ runs: [RunListing], workDir: String) -> String {
        var lines = ["Runs in \(workDir):"]
        for run in runs {
            lines.append("  \(run.runID)  \(run.phase)\(run.unfinished ? " (unfinished)" : "")  \(run.deployment)")
        }
        return lines.joined(separator: "\n")
    }
}

/// Who holds the deployment lock of a work directory, and since when, from its lock file.
enum LockText {
    static func render(workDir: String) -> String {
        let url = RunDirectory(workDir: URL(filePath: workDir), runID: "").lockURL
        guard let holder = LockFile.read(at: url) else {
            return "Lock: free (no oms-upgrade process of this work directory holds a deployment)."
        }
        let age = Int(Date().timeIntervalSince(holder.since))
        var text = "Lock: held by \(holder.holderDescription), for \(age) s."
        if holder.holderIsGone {
            text +=
                " That process is gone: MariaDB and MySQL freed its lock when it died; on the OceanBase kernel "
                + "its lease expires at most OMS_UPGRADE_LEASE_SECONDS (default 60) after its last renewal, "
                + "and `resume` waits for that."
        }
        return text
    }
}
