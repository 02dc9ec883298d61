import UpgradeEngine

/// Prints a run's summary on stdout, as text or as JSON.
enum SummaryOutput {
    static func print(_ summary: RunSummary, json: Bool) throws {
        if json { try FileHandleOutput.json(summary) } else { FileHandleOutput.standardOutput(summary.renderText()) }
    }
}
