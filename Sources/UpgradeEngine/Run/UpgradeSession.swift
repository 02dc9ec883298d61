import Containers
import Foundation
import Logging
import MetaDB
import OMSDeployment
import TerminalProgress

/// The entry points behind `apply`, `resume` and `rollback`: take the lock, run, release, summarise.
public enum UpgradeSession {
    /// Starts a new run of `plan` (which must have passed preflight) and carries it to the end.
    public static func apply(
        plan: UpgradePlan, engine: any ContainerEngine, reporter: ProgressReporter,
        logger: Logger, autoRollback: Bool, settings: RunSettings = RunSettings()
    ) async throws -> RunSummary {
        let databases = plan.databases
        // config.yaml is read once per run: the lock and the run's context use the same credentials.
        let config = try await RunConfig.load(plan, logger: logger)
        let metaOptions = config.metaConnection()
        let runID = RunDirectory.newRunID(container: plan.options.container)
        let workDir = URL(filePath: plan.options.workDir)
        try WorkDirectory.prepare(workDir)
        try WorkDirectory.ensurePrivateDirectory(workDir.appending(path: "runs"))
        // The lock comes first: a refused second apply must not leave a run directory behind.
        let lock = try await LockKeeper(
            options: metaOptions, rmDatabase: databases.rm,
            fileURL: RunDirectory(workDir: workDir, runID: runID).lockURL,
            holder: .current(runID: runID, command: "apply"), timing: settings.lockTiming)
        var context: RunContext
        do {
            // Read under the lock: no other run of this deployment can start or finish meanwhile.
            if let unfinished = try RunStore.unfinishedRuns(
                deploymentKey: plan.deploymentKey,
                workDir: plan.options.workDir
            ).last {
                let id = unfinished.directory.runID
                throw EngineError.invalidState(
                    "Nothing was changed: run \(id) of this deployment is unfinished "
                        + "(\(unfinished.journal.replayed.phase.rawValue)). Finish it first with "
                        + "`oms-upgrade resume --run \(id) --work-dir \(plan.options.workDir)` or "
                        + "`oms-upgrade rollback --run \(id) --work-dir \(plan.options.workDir)`")
            }
            let run = try RunStore.create(plan: plan, runID: runID)
            context = try await RunStore.context(
                for: run, engine: engine, reporter: reporter, logger: logger, settings: settings, config: config)
        } catch {
            await lock.release()
            throw error
        }
        context.lockKeeper = lock
        try await holding(lock, context) { context in
            try await UpgradeRunner(context: context, autoRollback: autoRollback).upgrade()
        }
        return summary(context)
    }

    /// Continues a run where it stopped: the upgrade, or a rollback under way.
    ///
    /// `autoRollback` nil keeps the choice the run was started with (`apply --no-auto-rollback`).
    public static func resume(
        workDir: String, selection: RunSelection = RunSelection(), engine: any ContainerEngine,
        reporter: ProgressReporter, logger: Logger, autoRollback: Bool?,
        healthTimeout: Int? = nil, settings: RunSettings = RunSettings()
    ) async throws -> RunSummary {
        let selected = try RunStore.select(selection, workDir: workDir)
        return try await withLock(
            selected, engine: engine, reporter: reporter, logger: logger,
            healthTimeout: healthTimeout, command: "resume", settings: settings
        ) { context in
            await OutageEstimator.dropProbeLeftovers(context)
            let state = context.journal.replayed
            let runID = context.directory.runID
            let automatic = autoRollback ?? (state.runFact(.autoRollback) != "false")
            let runner = UpgradeRunner(context: context, autoRollback: automatic)
            switch state.phase {
            case .notStarted, .upgrading:
                reporter.message(
                    "Resuming run \(runID) at \(state.nextUpgradeStep?.rawValue ?? "its end")"
                        + (automatic ? "." : " (no automatic rollback)."))
                try await runner.upgrade()
            case .rollingBack:
                reporter.message("Resuming the rollback of run \(runID).")
                try await runner.rollback(reason: state.rollbackReason ?? "resumed rollback")
            case .upgraded, .rolledBack:
                reporter.message("Run \(runID) is already \(state.phase.rawValue); nothing to resume.")
            }
        }
    }

    /// Rolls a run back, whatever state it is in (also after a finished upgrade).
    public static func rollback(
        workDir: String, selection: RunSelection = RunSelection(), engine: any ContainerEngine,
        reporter: ProgressReporter, logger: Logger,
        healthTimeout: Int? = nil, settings: RunSettings = RunSettings()
    ) async throws -> RunSummary {
        let selected = try RunStore.select(selection, workDir: workDir)
        return try await withLock(
            selected, engine: engine, reporter: reporter, logger: logger,
            healthTimeout: healthTimeout, command: "rollback", settings: settings
        ) { context in
            await OutageEstimator.dropProbeLeftovers(context)
            if context.journal.replayed.phase == .rolledBack {
                reporter.message("Run \(context.directory.runID) was already rolled back; nothing to do.")
                return
            }
            try await UpgradeRunner(context: context, autoRollback: false)
                .rollback(reason: "rollback requested by the operator")
        }
    }

    /// The run's timeline as it stands.
    public static func summary(_ context: RunContext) -> RunSummary {
        RunSummary(plan: context.plan, directory: context.directory, state: context.journal.replayed)
    }

    /// Takes the run's deployment lock, THEN reads its journal, runs `body`, releases; returns the summary.
    public static func withLock(
        _ selected: RunStore.LoadedRun, engine: any ContainerEngine,
        reporter: ProgressReporter, logger: Logger, healthTimeout: Int? = nil,
        command: String, settings: RunSettings = RunSettings(),
        _ body: @escaping @Sendable (RunContext) async throws -> Void
    ) async throws -> RunSummary {
        let databases = selected.plan.databases
        let config = try await RunConfig.load(selected.plan, logger: logger)
        let metaOptions = config.metaConnection()
        let lock = try await LockKeeper(
            options: metaOptions, rmDatabase: databases.rm, fileURL: selected.directory.lockURL,
            holder: .current(runID: selected.directory.runID, command: command), timing: settings.lockTiming)
        var context: RunContext
        do {
            // The journal read before the lock was taken may be stale: another process may have
            // written to it since. Read it again now that nobody else can.
            let run = try RunStore.load(selected.directory)
            context = try await RunStore.context(
                for: run, engine: engine, reporter: reporter, logger: logger,
                healthTimeout: healthTimeout, settings: settings, config: config)
        } catch {
            await lock.release()
            throw error
        }
        context.lockKeeper = lock
        try await holding(lock, context, body)
        return summary(context)
    }

    /// Runs `body` while a background task keeps the lock, then releases the lock and closes the run log.
    ///
    /// A signal from the context's source cancels `body` (see ``Interruption``).
    private static func holding(
        _ lock: LockKeeper, _ context: RunContext,
        _ body: @escaping @Sendable (RunContext) async throws -> Void
    ) async throws {
        let keeper = Task { await lock.keepAlive() }
        do {
            try await context.interruption.cancelling(on: context.settings.signals) { try await body(context) }
        } catch {
            keeper.cancel()
            await lock.release()
            context.log.close()
            throw error
        }
        keeper.cancel()
        await lock.release()
        context.log.close()
    }
}
