import Containers
import Foundation
import Logging
import MetaDump
import OMSDeployment
import TerminalProgress

/// Creates runs and finds them again: the plan, the journal and the log in a run directory.
public enum RunStore {
    /// A run read back from disk.
    public struct LoadedRun: Sendable {
        public let directory: RunDirectory
        public let plan: UpgradePlan
        public let journal: Journal
    }

    /// Creates a new run directory for `plan`, with the plan written to `plan.json` (0600).
    public static func create(plan: UpgradePlan, runID: String) throws -> LoadedRun {
        let directory = RunDirectory(workDir: URL(filePath: plan.options.workDir), runID: runID)
        try directory.create()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try DurableFile.writeAtomically(try encoder.encode(plan), to: directory.planURL)
        let journal = try Journal(url: directory.journalURL)
        return LoadedRun(directory: directory, plan: plan, journal: journal)
    }

    /// The context for acting on a loaded run, with the metadata credentials of `config` (config.yaml as
    /// the caller read it; read here when nil).
    ///
    /// `healthTimeout` overrides the plan's, for a rollback or resume that should not wait as long.
    public static func context(
        for run: LoadedRun, engine: any ContainerEngine, reporter: ProgressReporter,
        logger: Logger, healthTimeout: Int? = nil, settings: RunSettings = RunSettings(), config: OMSConfig? = nil
    ) async throws -> RunContext {
        let loaded: OMSConfig
        if let config { loaded = config } else { loaded = try await RunConfig.load(run.plan, logger: logger) }
        var plan = run.plan
        if let healthTimeout { plan.options.healthTimeout = healthTimeout }
        return RunContext(
            plan: plan, directory: run.directory, journal: run.journal,
            log: RunLog(url: run.directory.logURL), engine: engine,
            metaOptions: loaded.metaConnection(), reporter: reporter, logger: logger, settings: settings)
    }
}
