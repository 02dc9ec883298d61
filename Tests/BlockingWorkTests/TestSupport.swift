import Dispatch
import Foundation
import Synchronization
import Testing

@testable import BlockingWork

/// Counts the jobs running at once and remembers the most there ever were.
final class ConcurrencyMeter: Sendable {
    private let state = Mutex((now: 0, most: 0))

    /// Runs `body` counted as one running job.
    func measure<T>(_ body: () throws -> T) rethrows -> T {
        state.withLock { state in
            state.now += 1
            state.most = max(state.most, state.now)
        }
        defer { state.withLock { $0.now -= 1 } }
        return try body()
    }

    /// The most jobs that ran at once.
    var most: Int { state.withLock { $0.most } }
}

/// A list that jobs on several threads append to.
final class Log<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])

    func append(_ item: Element) { items.withLock { $0.append(item) } }

    var values: [Element] { items.withLock { $0 } }
}

/// Awaits `condition` without blocking a thread, checking after every millisecond's sleep; records
/// a failure and returns after a generous 60 s (the test then fails on its own expectations).
func waitUntil(_ what: Comment, _ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation)
    async throws
{
    for _ in 0..<60_000 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(1))
    }
    Issue.record("never happened: \(what)", sourceLocation: sourceLocation)
}

/// A pool for one test, shut down after `body`.
func withPool<T>(threads: Int, _ body: (BlockingPool) async throws -> T) async throws -> T {
    let pool = BlockingPool(threadLimit: threads, name: "test pool")
    defer { pool.shutdown() }
    return try await body(pool)
}

/// A number that jobs on several threads add to.
final class Counter: Sendable {
    private let value = Mutex(0)

    /// Adds one and returns the new value.
    func increment() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }

    var current: Int { value.withLock { $0 } }
}

/// A task executor with one thread of its own: a stand-in for the cooperative pool that other tests,
/// running at the same time, cannot keep busy.
final class OneThreadExecutor: TaskExecutor, Sendable {
    private let jobs = Mutex<[UnownedJob]>([])
    private let wakeups = DispatchSemaphore(value: 0)

    init() {
        let thread = Thread { [self] in
            while true {
                wakeups.wait()
                guard let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { return }
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
        thread.name = "one-thread executor"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        wakeups.signal()
    }

    /// Ends the thread once the jobs queued so far have run.
    func shutdown() {
        wakeups.signal()
    }
}
