import Foundation
import Testing

@testable import UpgradeEngine

#if canImport(Glibc)
    import Glibc
#endif

/// The runner's control flow in-process, with fake steps: no sandbox, milliseconds.
///
/// Automatic rollback, the backup-failure wording, no rollback on a lost lock or a signal, and
/// re-entry of a run (a resume skips what the journal says is done).
@Suite("runner control flow")
struct RunnerControlFlowTests {
    static let upgradeIDs: [StepID] = [.prePrune, .haOff, .onlineCopy, .backup, .haOn]
    static let rollbackIDs: [StepID] = [.rollbackCapture, .rollbackVerify]

    /// The upgrade's fake steps, with `special` replacing the one of the same id.
    private func sequence(_ bench: RunnerBench, _ special: FakeStep...) -> StepSequence {
        let upgrade = Self.upgradeIDs.map { id -> any RunStep in
            special.first { $0.id == id } ?? FakeStep(id: id, calls: bench.calls)
        }
        return StepSequence(upgrade: upgrade, rollback: bench.steps(Self.rollbackIDs))
    }

    @Test("a failed step rolls back automatically: the rollback's steps run and the run ends rolled back")
    func failureRollsBack() async throws {
        let bench = try RunnerBench()
        defer { bench.cleanup() }
        let failing = FakeStep(id: .onlineCopy, calls: bench.calls) { _ in throw FakeFailure() }
        let context = try bench.context()
        let runner = UpgradeRunner(context: context, autoRollback: true, steps: sequence(bench, failing))

        let error = await #expect(throws: UpgradeFailure.self) { try await runner.upgrade() }
        #expect(error?.step == .onlineCopy)
        #expect(error?.rolledBack == true)
        #expect(bench.calls.all == [.prePrune, .haOff, .onlineCopy, .rollbackCapture, .rollbackVerify])
        #expect(context.journal.replayed.phase == .rolledBack)
        #expect(try bench.events().contains("step-failed:online-copy"))
    }

    @Test("--no-auto-rollback: the run stops at the failed step; a resume re-enters it and skips what is done")
    func noAutoRollbackThenResume() async throws {
        let bench = try RunnerBench()
        defer { bench.cleanup() }
        let flaky = FakeStep(id: .onlineCopy, calls: bench.calls) { attempt in
            if attempt == 0 { throw FakeFailure() }
        }
        let steps = sequence(bench, flaky)
        let first = UpgradeRunner(context: try bench.context(), autoRollback: false, steps: steps)
        let error = await #expect(throws: EngineError.self) { try await first.upgrade() }
        #expect(error.map { "\($0)" }?.contains("Nothing was rolled back") == true)
        #expect(try !bench.events().contains("rollback-started"))

        let context = try bench.context()
        try await UpgradeRunner(context: context, autoRollback: false, steps: steps).upgrade()
        #expect(bench.calls.all == [.prePrune, .haOff, .onlineCopy, .onlineCopy, .backup, .haOn])
        #expect(context.journal.replayed.phase == .upgraded)
    }

    @Test("a failed backup never rolls back: the new OMS keeps serving and the message says so")
    func backupFailureDoesNotRollBack() async throws {
        let bench = try RunnerBench()
        defer { bench.cleanup() }
        let failing = FakeStep(id: .backup, calls: bench.calls) { _ in throw FakeFailure() }
        let runner = UpgradeRunner(
            context: try bench.context(), autoRollback: true, steps: sequence(bench, failing))

        let error = await #expect(throws: EngineError.self) { try await runner.upgrade() }
        #expect(error.map { "\($0)" }?.contains("THE UPGRADE IS NOT CONFIRMED") == true)
        #expect(bench.calls.all == [.prePrune, .haOff, .onlineCopy, .backup])
        #expect(try !bench.events().contains("rollback-started"))
    }

    @Test("a lost lock stops the run before its next step and never rolls back")
    func lostLockStops() async throws {
        let bench = try RunnerBench()
        defer { bench.cleanup() }
        let runner = UpgradeRunner(
            context: try bench.context(lock: FakeLock(heldChecks: 2)), autoRollback: true, steps: sequence(bench))

        await #expect {
            try await runner.upgrade()
        } throws: { error in
            guard case EngineError.lockLost = error else { return false }
            return true
        }
        #expect(bench.calls.all == [.prePrune, .haOff])
        let events = try bench.events()
        #expect(!events.contains("step-started:online-copy"), "nothing more is changed: \(events)")
        #expect(!events.contains("rollback-started"))
    }

    @Test("a signal cancels the step under way: journaled as interrupted, no rollback; a resume finishes the run")
    func signalStopsThenResume() async throws {
        let bench = try RunnerBench()
        defer { bench.cleanup() }
        let signals = FakeSignals()
        let waiting = FakeStep(id: .haOff, calls: bench.calls) { attempt in
            guard attempt == 0 else { return }
            signals.send(SIGTERM)
            // Only the signal's cancellation ends this wait early.
            try await Task.sleep(for: .seconds(60))
        }
        let steps = sequence(bench, waiting)
        let context = try bench.context(signals: signals)
        let runner = UpgradeRunner(context: context, autoRollback: true, steps: steps)
        let started = ContinuousClock.now

        let error = await #expect(throws: EngineError.self) {
            try await context.interruption.cancelling(on: signals) { try await runner.upgrade() }
        }
        #expect(error?.isInterruption == true)
        #expect(ContinuousClock.now - started < .seconds(30), "the signal cancelled the step's wait")
        #expect(context.interruption.signal == SIGTERM)
        #expect(bench.calls.all == [.prePrune, .haOff])
        let events = try bench.events()
        #expect(events.contains("interrupted") && events.contains("step-failed:ha-off"), "\(events)")
        #expect(!events.contains("rollback-started"), "a signal stops the run, it does not roll back")

        let resumed = try bench.context()
        try await resumed.interruption.cancelling(on: NoSignals()) {
            try await UpgradeRunner(context: resumed, autoRollback: true, steps: steps).upgrade()
        }
        #expect(bench.calls.all == [.prePrune, .haOff, .haOff, .onlineCopy, .backup, .haOn])
        #expect(resumed.journal.replayed.phase == .upgraded)
    }

    @Test("re-entering a finished run performs no step again")
    func reentryOfFinishedRun() async throws {
        let bench = try RunnerBench()
        defer { bench.cleanup() }
        let steps = sequence(bench)
        try await UpgradeRunner(context: try bench.context(), autoRollback: true, steps: steps).upgrade()
        #expect(bench.calls.all == Self.upgradeIDs)

        let again = try bench.context()
        try await UpgradeRunner(context: again, autoRollback: true, steps: steps).upgrade()
        #expect(bench.calls.all == Self.upgradeIDs, "every step is journaled as completed: none runs twice")
        #expect(again.journal.replayed.phase == .upgraded)
    }
}
