import Containers
import Foundation
import Logging
import MetaDB
import OMSDeployment
import TerminalProgress

/// What every step of one run needs: the plan, where to record, and how to reach the deployment.
public struct RunContext: Sendable {
    public let plan: UpgradePlan
    public let directory: RunDirectory
    public let journal: Journal
    public let log: RunLog
    /// The nodes the run acts on: every node of the plan (one for a deployment planned without `--node`).
    public let nodes: [RunNode]
    /// How to reach the metadata server, from the deployment's config.yaml (holds the password).
    public let metaOptions: ConnectionOptions
    public let reporter: ProgressReporter
    public let logger: Logger
    /// The deployment's lock while the run holds it: checked before every step.
    public var lockKeeper: (any LockCheck)?
    /// The retry budget, the lock's timing and the signal source, from the command.
    public let settings: RunSettings
    /// The signal that stopped this run, once one came (see ``Interruption``).
    public let interruption = Interruption()

    public init(
        plan: UpgradePlan, directory: RunDirectory, journal: Journal, log: RunLog,
        engine: any ContainerEngine, metaOptions: ConnectionOptions,
        reporter: ProgressReporter, logger: Logger, settings: RunSettings = RunSettings()
    ) {
        self.plan = plan
        self.directory = directory
        self.journal = journal
        self.log = log
        self.nodes = RunNode.nodes(of: plan, engine: engine, logger: logger)
        self.metaOptions = metaOptions
        self.reporter = reporter
        self.logger = logger
        self.settings = settings
    }

    /// Whether the run spans several nodes (`apply --node`).
    public var isMultiNode: Bool { plan.isMultiNode }

    /// The metadata databases of the plan.
    public var databases: MetaDatabases { plan.databases }

    /// The private directory for the client option files (they hold the password): `<work-dir>/runs/.secrets`.
    public var optionFileDirectory: String {
        directory.workDir.appending(path: "runs").appending(path: ".secrets").path
    }

    /// The old container's name at plan time.
    public var oldName: String { plan.options.container }

    /// The new container's name.
    public var newName: String { plan.newContainerName }

    /// A short label for snapshot and quarantine database names: the target version's digits, e.g. `330`.
    public var label: String {
        let digits = plan.route.to.description.filter { $0.isNumber }
        return digits.isEmpty ? "upgrade" : String(digits.prefix(8))
    }

    /// Opens a fresh connection to the metadata server (no default database).
    public func connect() async throws -> AsyncConnection {
        var options = metaOptions
        options.database = nil
        return try await AsyncConnection(options: options)
    }

    /// Runs `body` with a fresh connection to the metadata server (no default database) and closes it on every path.
    public func withConnection<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (AsyncConnection) async throws -> sending T
    ) async throws -> sending T {
        try await connect().closing(isolation: isolation, body)
    }

    /// Writes a line to the run log and, as narrative, to stderr.
    public func say(_ text: String) {
        log.write(text)
        reporter.message(text)
    }
}
