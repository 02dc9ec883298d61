import Containers
import Foundation
import Logging
import MetaDB
import Synchronization
import TerminalProgress

@testable import UpgradeEngine

/// A step of a test's own: records that it ran, then does what the test says (nothing by default).
struct FakeStep: RunStep {
    let id: StepID
    let calls: StepCalls
    var action: @Sendable (_ attempt: Int) async throws -> Void = { _ in }

    var summary: String { id.summary }

    var phase: StepPhase { StepSequence.production.step(id)?.phase ?? .after }

    func perform(_ context: RunContext, journal state: JournalState) async throws -> FakeResult {
        let attempt = calls.record(id)
        try await action(attempt)
        return FakeResult(attempt: attempt)
    }
}

/// What a ``FakeStep`` returns: the attempt it was.
struct FakeResult: StepResult {
    var attempt: Int

    init(attempt: Int) { self.attempt = attempt }

    init(legacyFacts: [String: String]) { attempt = Int(legacyFacts["fake"] ?? "") ?? 0 }
}

/// The steps performed, in order (shared by every ``FakeStep`` of a test).
final class StepCalls: Sendable {
    private let list = Mutex<[StepID]>([])

    /// Notes a call of `id`; returns how many times it was called before.
    func record(_ id: StepID) -> Int {
        list.withLock { list in
            defer { list.append(id) }
            return list.count { $0 == id }
        }
    }

    var all: [StepID] { list.withLock { $0 } }
}

/// A lock that is held for the first `heldChecks` checks, then lost to another process.
final class FakeLock: LockCheck {
    private let remaining: Mutex<Int>

    init(heldChecks: Int) {
        remaining = Mutex(heldChecks)
    }

    func ensureHeld() async throws {
        let held = remaining.withLock { count -> Bool in
            defer { count -= 1 }
            return count > 0
        }
        if !held { throw EngineError.lockLost("another process holds the lock (test)") }
    }
}

/// A signal source a test fires by hand.
struct FakeSignals: SignalSource {
    private let pair = AsyncStream.makeStream(of: Int32.self)

    func subscribe() -> AsyncStream<Int32> { pair.stream }

    func send(_ signal: Int32) { pair.continuation.yield(signal) }
}

/// A failure a fake step throws.
struct FakeFailure: Error, CustomStringConvertible {
    var description: String { "the fake step failed" }
}

/// A run directory with a sample plan in a temporary work directory, and contexts over it.
struct RunnerBench {
    let workDir: URL
    let run: RunStore.LoadedRun
    let calls = StepCalls()

    init() throws {
        workDir = FileManager.default.temporaryDirectory.appending(path: "runner-\(UUID().uuidString)")
        try WorkDirectory.prepare(workDir)
        try WorkDirectory.ensurePrivateDirectory(workDir.appending(path: "runs"))
        run = try RunStore.create(plan: .sample(workDir: workDir.path), runID: "run-\(UUID().uuidString.prefix(8))")
    }

    /// A fresh context over the run (as a new process would make), the journal read again from disk.
    func context(
        lock: (any LockCheck)? = nil, signals: any SignalSource = NoSignals(),
        engine: any ContainerEngine = FakeEngine()
    ) throws -> RunContext {
        var context = RunContext(
            plan: run.plan, directory: run.directory, journal: try Journal(url: run.directory.journalURL),
            log: RunLog(url: run.directory.logURL), engine: engine,
            metaOptions: ConnectionOptions(host: "127.0.0.1", port: 1, user: "nobody", password: Secret("unused")),
            reporter: .silent, logger: Logger(label: "runner-test"),
            settings: RunSettings(signals: signals))
        context.lockKeeper = lock
        return context
    }

    /// Fake steps with these ids that do nothing.
    func steps(_ ids: [StepID]) -> [any RunStep] {
        ids.map { FakeStep(id: $0, calls: calls) }
    }

    /// The journal's events, in order, as `event` or `event:step`.
    func events() throws -> [String] {
        try Journal(url: run.directory.journalURL).entries.map { entry in
            entry.step.map { "\(entry.event.rawValue):\($0.rawValue)" } ?? entry.event.rawValue
        }
    }

    func cleanup() {
        try? FileManager.default.removeItem(at: workDir)
    }
}
