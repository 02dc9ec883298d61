import Containers
import Foundation
import Logging
import MetaDB
import OMSDeployment
import TerminalProgress

/// The entry points behind `apply`, `resume` and `rollback`: take the lock, run, release, summarise.
public enum UpgradeSession {
    /// Starts a new run of `plan` (which must have passed preflight) and carries it to the end.
    public static func apply(plan: UpgradePlan, engine: any ContainerEngine, reporter: ProgressReporter,
                             logger: Logger, autoRollback: Bool) async throws -> RunSummary {
        guard plan.isReady else { throw EngineError.preflightFailed(plan.failures.map(\.sentence)) }
        guard let configPath = plan.configPath, let databases = plan.databases else {
            throw EngineError.invalidState("the plan names no config.yaml or databases; run `oms-upgrade plan` to see why")
        }
        let metaOptions = try OMSConfig.load(path: configPath).metaConnection()
        let runID = RunDirectory.newRunID(container: plan.options.container)
        let workDir = URL(filePath: plan.options.workDir)
        try WorkDirectory.ensurePrivateDirectory(workDir)
        // The lock comes first: a refused second apply must not leave a run directory behind.
        let lock = try await DeploymentLock.acquire(
            options: metaOptions, rmDatabase: databases.rm,
            fileURL: RunDirectory(workDir: workDir, runID: runID).lockURL,
            holder: .current(runID: runID, command: "apply"))
        let context: RunContext
        do {
            let run = try RunStore.create(plan: plan, runID: runID)
            context = try RunStore.context(for: run, engine: engine, reporter: reporter, logger: logger)
        } catch {
            await lock.release()
            throw error
        }
        try await holding(lock, context) {
            try await UpgradeRunner(context: context, autoRollback: autoRollback).upgrade()
        }
        return summary(context)
    }

    /// Continues the latest run in `workDir` where it stopped: the upgrade, or a rollback under way.
    public static func resume(workDir: String, engine: any ContainerEngine, reporter: ProgressReporter,
                              logger: Logger, autoRollback: Bool, healthTimeout: Int? = nil) async throws -> RunSummary {
        let run = try RunStore.loadLatest(workDir: workDir)
        let context = try RunStore.context(for: run, engine: engine, reporter: reporter, logger: logger,
                                           healthTimeout: healthTimeout)
        let runner = UpgradeRunner(context: context, autoRollback: autoRollback)
        try await withLock(context, command: "resume") {
            switch run.journal.replayed.phase {
            case .notStarted, .upgrading:
                reporter.message("Resuming run \(run.directory.runID) at \(run.journal.replayed.nextUpgradeStep?.rawValue ?? "its end").")
                try await runner.upgrade()
            case .rollingBack:
                reporter.message("Resuming the rollback of run \(run.directory.runID).")
                try await runner.rollback(reason: run.journal.replayed.rollbackReason ?? "resumed rollback")
            case .upgraded, .rolledBack:
                reporter.message("Run \(run.directory.runID) is already \(run.journal.replayed.phase.rawValue); nothing to resume.")
            }
        }
        return summary(context)
    }

    /// Rolls the latest run in `workDir` back, whatever state it is in (also after a finished upgrade).
    public static func rollback(workDir: String, engine: any ContainerEngine, reporter: ProgressReporter,
                                logger: Logger, healthTimeout: Int? = nil) async throws -> RunSummary {
        let run = try RunStore.loadLatest(workDir: workDir)
        let context = try RunStore.context(for: run, engine: engine, reporter: reporter, logger: logger,
                                           healthTimeout: healthTimeout)
        if run.journal.replayed.phase == .rolledBack {
            reporter.message("Run \(run.directory.runID) was already rolled back; nothing to do.")
            return summary(context)
        }
        try await withLock(context, command: "rollback") {
            try await UpgradeRunner(context: context, autoRollback: false).rollback(reason: "rollback requested by the operator")
        }
        return summary(context)
    }

    /// The run's timeline as it stands.
    public static func summary(_ context: RunContext) -> RunSummary {
        RunSummary(plan: context.plan, directory: context.directory, state: context.journal.replayed)
    }

    private static func withLock(_ context: RunContext, command: String,
                                 _ body: () async throws -> Void) async throws {
        let databases = try context.databases
        let lock = try await DeploymentLock.acquire(
            options: context.metaOptions, rmDatabase: databases.rm, fileURL: context.directory.lockURL,
            holder: .current(runID: context.directory.runID, command: command))
        try await holding(lock, context, body)
    }

    /// Runs `body`, then releases `lock` and closes the run log, whether `body` threw or not.
    private static func holding(_ lock: DeploymentLock, _ context: RunContext,
                                _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await lock.release()
            context.log.close()
            throw error
        }
        await lock.release()
        context.log.close()
    }
}
