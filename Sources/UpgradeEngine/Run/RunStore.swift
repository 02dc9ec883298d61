import Foundation
import Logging
import OMSDeployment
import TerminalProgress
import Containers

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
        let data = try encoder.encode(plan)
        FileManager.default.createFile(atPath: directory.planURL.path, contents: data, attributes: [.posixPermissions: 0o600])
        let journal = try Journal(url: directory.journalURL)
        return LoadedRun(directory: directory, plan: plan, journal: journal)
    }

    /// The latest run in `workDir`, or an error saying there is none.
    public static func loadLatest(workDir: String) throws -> LoadedRun {
        let url = URL(filePath: workDir)
        guard let directory = RunDirectory.latest(in: url) else {
            throw EngineError.noRun("There is no upgrade run in \(workDir): start one with `oms-upgrade apply`, or pass the --work-dir that `apply` used.")
        }
        let data: Data
        do {
            data = try Data(contentsOf: directory.planURL)
        } catch {
            throw EngineError.noRun("The run \(directory.runID) has no readable plan at \(directory.planURL.path): \(error.localizedDescription)")
        }
        let plan = try Journal.decoder.decode(UpgradePlan.self, from: data)
        return LoadedRun(directory: directory, plan: plan, journal: try Journal(url: directory.journalURL))
    }

    /// The context for acting on a loaded run: re-reads config.yaml for the metadata credentials.
    ///
    /// `healthTimeout` overrides the plan's, for a rollback or resume that should not wait as long.
    public static func context(for run: LoadedRun, engine: any ContainerEngine, reporter: ProgressReporter,
                               logger: Logger, healthTimeout: Int? = nil) throws -> RunContext {
        guard let configPath = run.plan.configPath else {
            throw EngineError.invalidState("the run's plan records no config.yaml path; it cannot be resumed or rolled back automatically")
        }
        let config = try OMSConfig.load(path: configPath)
        var plan = run.plan
        if let healthTimeout { plan.options.healthTimeout = healthTimeout }
        return RunContext(plan: plan, directory: run.directory, journal: run.journal,
                          log: RunLog(url: run.directory.logURL), engine: engine,
                          metaOptions: config.metaConnection(), reporter: reporter, logger: logger)
    }
}
