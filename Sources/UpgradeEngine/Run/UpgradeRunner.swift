import Foundation
import Logging

/// Runs an upgrade's steps in order, journaling each, and rolls back automatically when one fails.
///
/// The runner holds no state of its own: the journal is re-read before every step, so `apply`,
/// `resume` and `rollback` are the same loop entered at different places.
public struct UpgradeRunner: Sendable {
    public let context: RunContext
    /// Whether a failed step triggers a rollback on the spot.
    public let autoRollback: Bool
    /// The steps it runs: the product's, or a test's own.
    let steps: StepSequence

    public init(context: RunContext, autoRollback: Bool) {
        self.init(context: context, autoRollback: autoRollback, steps: .production)
    }

    /// A runner over `steps` instead of the product's (for in-process tests of the control flow).
    init(context: RunContext, autoRollback: Bool, steps: StepSequence) {
        self.context = context
        self.autoRollback = autoRollback
        self.steps = steps
    }

    /// Runs (or resumes) the upgrade to its end; on failure, rolls back unless told not to.
    public func upgrade() async throws {
        let journal = context.journal
        if journal.replayed.phase == .notStarted {
            try journal.append(
                .runStarted,
                facts: [
                    .oldContainer: context.oldName,
                    .image: context.plan.options.image,
                    .newContainer: context.plan.newContainerName,
                    .autoRollback: autoRollback ? "true" : "false",
                    .deploymentKey: context.plan.deploymentKey,
                ])
        }
        for step in steps.upgrade {
            if journal.replayed.record(step.id).attempts == 0 {
                await step.beforeFirstAttempt(context)
            }
            do {
                try await run(step)
            } catch EngineError.lockLost(let text) {
                // Another process may be acting on the deployment: undoing anything now would fight it.
                throw EngineError.lockLost(text)
            } catch let error as EngineError where error.isInterruption {
                throw error
            } catch  where step.id == .backup {
                // The new OMS is up and healthy: a failed backup must not take it down again.
                throw EngineError.stepFailed(
                    step.id,
                    "\(error). THE UPGRADE IS NOT CONFIRMED: the new OMS runs, but no verified backup was written. The snapshot databases are kept, so `oms-upgrade rollback` still works; fix the cause and run `oms-upgrade resume` to write the backup.",
                    underlying: error)
            } catch {
                let reason = "step \(step.id.rawValue) failed: \(String(describing: error))"
                guard autoRollback else {
                    throw EngineError.stepFailed(
                        step.id,
                        "\(error). Nothing was rolled back (--no-auto-rollback): run `oms-upgrade resume` to retry or `oms-upgrade rollback` to undo.",
                        underlying: error)
                }
                context.say("Upgrade failed (\(reason)). Rolling back...")
                do {
                    try await rollback(reason: reason)
                } catch let error as EngineError where error.isInterruption {
                    throw error
                } catch EngineError.lockLost(let text) {
                    throw EngineError.lockLost(text)
                } catch {
                    throw EngineError.rollbackBlocked(
                        "\(reason); the automatic rollback then failed too: \(error)", underlying: error)
                }
                throw UpgradeFailure(step: step.id, cause: error, rolledBack: true)
            }
        }
        try journal.append(.upgradeFinished)
    }

    /// Runs (or resumes) the rollback to its end.
    public func rollback(reason: String) async throws {
        let journal = context.journal
        if journal.replayed.phase != .rollingBack {
            try journal.append(.rollbackStarted, message: reason)
        }
        for step in steps.rollback {
            try await run(step)
        }
        let unfinished = Self.unfinishedNodes(journal.replayed)
        guard unfinished.isEmpty else {
            let id = context.directory.runID
            throw EngineError.rollbackBlocked(
                "node(s) \(unfinished.joined(separator: ", ")) could not be rolled back (see the messages above;"
                    + " their Docker engines did not answer or refused). Every other node runs the old version on the"
                    + " pre-upgrade metadata. When those engines answer again, run `oms-upgrade rollback --run \(id)"
                    + " --work-dir \(context.plan.options.workDir)` to finish them; or on each such node stop the new"
                    + " container and start the old one \(context.plan.options.container) by hand")
        }
        try journal.append(.rollbackFinished)
    }

    /// The nodes a multi-node rollback has not finished, from every rollback step's `unfinishedNodes`.
    static func unfinishedNodes(_ state: JournalState) -> [String] {
        let listed = StepID.rollbackSequence.flatMap { step in
            state.record(step).result(UnfinishedNodes.self)?.unfinishedNodes ?? []
        }
        return Array(Set(listed)).sorted()
    }

    /// Runs one step unless the journal says it is done, journaling its start and its end.
    private func run(_ step: any RunStep) async throws {
        let id = step.id
        let state = context.journal.replayed
        let progress = state.record(id).progress
        // A rollback step that left nodes unfinished (an engine that went away) runs again.
        let leftNodes = !(state.record(id).result(UnfinishedNodes.self)?.unfinishedNodes ?? []).isEmpty
        if progress == .completed && !leftNodes { return }
        try stopIfInterrupted()
        // The lock is checked before the step changes anything; a server that is restarting is waited out.
        try await MetaRetry.perform(id, context: context) { _ in try await context.lockKeeper?.ensureHeld() }
        try context.journal.append(.stepStarted, step: id)
        FaultInjection.reach("\(id.rawValue).started", context.interruption)
        context.log.write("step \(id.rawValue): started")
        context.reporter.message("==> \(step.summary)")
        do {
            // A lost or refused metadata connection is waited out and the step re-entered (see MetaRetry).
            let result = try await MetaRetry.perform(id, context: context) { attempt in
                // A server restart freed the lock too: take it again (or stop) before re-entering the step.
                if attempt > 0 { try await context.lockKeeper?.ensureHeld() }
                return try await step.perform(context, journal: attempt == 0 ? state : context.journal.replayed)
            }
            // A step that a signal cancelled may return as if it had finished (a killed client's
            // exit status says nothing about the work): never journal it as completed.
            if context.interruption.signal != nil { throw CancellationError() }
            let json = try JSONValue(encoding: result)
            try context.journal.append(.stepCompleted, step: id, result: json)
            FaultInjection.reach("\(id.rawValue).completed", context.interruption)
            context.log.write("step \(id.rawValue): completed \(json.compactText)")
        } catch {
            if let signal = context.interruption.signal {
                // Cancelled by a signal: journaled like a crash inside the step; resume re-enters it.
                let name = Interruption.name(signal)
                _ = try? context.journal.append(
                    .stepFailed, step: id,
                    message: "interrupted by \(name) (\(String(describing: error)))")
                context.log.write("step \(id.rawValue): interrupted by \(name)")
                try stopIfInterrupted()
            }
            let message = String(describing: error)
            _ = try? context.journal.append(.stepFailed, step: id, message: message)
            context.log.write("step \(id.rawValue): failed: \(message)")
            throw error
        }
    }

    /// Journals `interrupted` and throws when a signal came: the run stops between two steps.
    private func stopIfInterrupted() throws {
        guard let signal = context.interruption.signal else { return }
        try context.journal.append(.interrupted, facts: [.signal: Interruption.name(signal)])
        context.log.write("interrupted by \(Interruption.name(signal))")
        throw Interruption.error(signal)
    }
}

/// An upgrade that failed and was rolled back: the deployment is back on the old version.
public struct UpgradeFailure: Error, Sendable, CustomStringConvertible {
    /// The step that failed.
    public let step: StepID
    /// The error the step threw, kept as it is (its description is the sentence printed).
    public let cause: any Error
    /// Whether the automatic rollback ran to its end.
    public let rolledBack: Bool

    public var description: String {
        "The upgrade failed at step \(step.rawValue): \(cause). "
            + (rolledBack
                ? "It was rolled back: the old container runs again on the pre-upgrade metadata; the upgraded tables are kept in quarantine databases for inspection."
                : "")
    }
}
