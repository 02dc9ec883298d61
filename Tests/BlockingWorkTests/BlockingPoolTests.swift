import Dispatch
import Foundation
import Testing

@testable import BlockingWork

@Suite("blocking pool")
struct BlockingPoolTests {
    /// Where a job waits before it runs: for a pool thread, or behind the job running in its lane.
    enum Queue: String, CaseIterable, CustomTestStringConvertible {
        case pool = "for a thread of the pool"
        case lane = "in its lane"

        var testDescription: String { rawValue }
    }

    @Test("a task cancelled while its job waits gets CancellationError; the job never runs", arguments: Queue.allCases)
    func cancelledBeforeStart(_ queue: Queue) async throws {
        // One thread: the pool's only thread is busy. Two threads: a free one, but the lane is busy.
        try await withPool(threads: queue == .pool ? 1 : 2) { pool in
            let lane = pool.makeLane()
            func submit(_ body: @escaping @Sendable () -> Void) async throws {
                try await queue == .pool ? pool.run(body) : lane.run(body)
            }
            let waiting = { queue == .pool ? pool.queuedCount : lane.pendingCount }
            let gate = DispatchSemaphore(value: 0)
            let ran = Log<String>()
            let busy = Task { try await submit { gate.wait() } }
            try await waitUntil("the first job runs") { pool.threadCount == 1 && pool.queuedCount == 0 }
            let doomed = Task { try await submit { ran.append("doomed") } }
            try await waitUntil("the doomed job waits") { waiting() == 1 }
            doomed.cancel()
            await #expect(throws: CancellationError.self) { try await doomed.value }
            gate.signal()
            try await busy.value
            try await submit { ran.append("next") }
            #expect(ran.values == ["next"])
        }
    }

    @Test("a task already cancelled when it submits gets CancellationError without running anything")
    func alreadyCancelled() async throws {
        try await withPool(threads: 1) { pool in
            let ran = Log<String>()
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                try await pool.run { ran.append("ran") }
            }
            await #expect(throws: CancellationError.self) { try await task.value }
            try await pool.run { ran.append("next") }
            #expect(ran.values == ["next"])
        }
    }

    @Test("work already running is told through onCancel and finishes with its own result")
    func runningWorkIsTold() async throws {
        try await withPool(threads: 1) { pool in
            let told = DispatchSemaphore(value: 0)
            let (started, startedSignal) = AsyncStream.makeStream(of: Void.self)
            let task = Task {
                try await pool.run(onCancel: { told.signal() }) {
                    startedSignal.finish()
                    told.wait()
                    return "stopped early"
                }
            }
            for await _ in started {}
            task.cancel()
            let result = try await task.value
            #expect(result == "stopped early")
        }
    }

    @Test("map tells every call still running through onCancel when its task is cancelled")
    func mapTellsRunningCalls() async throws {
        try await withPool(threads: 2) { pool in
            let told = DispatchSemaphore(value: 0)
            let running = Counter()
            let (started, startedSignal) = AsyncStream.makeStream(of: Void.self)
            let task = Task {
                try await pool.map([1, 2], width: 2, onCancel: { told.signal() }) { element in
                    if running.increment() == 2 { startedSignal.finish() }
                    told.wait()
                    return element * 10
                }
            }
            for await _ in started {}
            task.cancel()
            let results = try await task.value
            #expect(results == [10, 20])
        }
    }

    @Test("many more jobs than threads all complete, in order, never more at once than the pool's threads")
    func manyMoreJobsThanThreads() async throws {
        try await withPool(threads: 3) { pool in
            let meter = ConcurrencyMeter()
            let results = try await pool.map(Array(0..<2000), width: 2000) { index in
                meter.measure { index * 2 }
            }
            #expect(results == (0..<2000).map { $0 * 2 })
            #expect(meter.most <= 3)
            #expect(pool.threadCount <= 3)
        }
    }

    @Test("forEach hands every item to exactly one worker, each worker with its own state")
    func forEachCoversEveryItem() async throws {
        try await withPool(threads: 2) { pool in
            let seen = Log<Int>()
            let states = Log<Int>()
            let workers = Counter()
            try await pool.forEach(Array(0..<500), workers: 4) {
                workers.increment()
            } finish: { state in
                states.append(state)
            } _: { state, item in
                seen.append(item)
                _ = state
            }
            #expect(seen.values.sorted() == Array(0..<500))
            #expect(states.values.sorted() == [1, 2, 3, 4])
        }
    }

    @Test("forEach stops starting items after the first error and rethrows it")
    func forEachStopsOnError() async throws {
        struct Boom: Error {}
        try await withPool(threads: 2) { pool in
            let seen = Log<Int>()
            await #expect(throws: Boom.self) {
                try await pool.forEach(Array(0..<1000), workers: 1) {
                    ()
                } _: { _, item in
                    seen.append(item)
                    if item == 10 { throw Boom() }
                }
            }
            #expect(seen.values == Array(0...10))
        }
    }

    @Test("blocking jobs beyond the width of the tasks' executor never stall an unrelated task on it")
    func cooperativeThreadsStayFree() async throws {
        // The test's tasks run on an executor of one thread, as if the cooperative pool had one thread
        // (the real pool is shared with the other tests, which may keep it busy for minutes). More jobs
        // than that, and than the cores, each blocked until a task on that executor releases them: were
        // the jobs run on the tasks' thread, that task could never run, the watchdog thread would
        // release them after a generous minute and the expectation below fails.
        let jobs = max(4, ProcessInfo.processInfo.activeProcessorCount + 2)
        let executor = OneThreadExecutor()
        defer { executor.shutdown() }
        try await withPool(threads: jobs) { pool in
            let gate = DispatchSemaphore(value: 0)
            let done = DispatchSemaphore(value: 0)
            let watchdogFired = Log<Bool>()
            let watchdog = Thread {
                if done.wait(timeout: .now() + 60) == .timedOut {
                    watchdogFired.append(true)
                    for _ in 0..<jobs { gate.signal() }
                }
            }
            watchdog.start()
            try await withTaskExecutorPreference(executor) {
                let running = Counter()
                let (allRunning, allRunningSignal) = AsyncStream.makeStream(of: Void.self)
                let releaser = Task(executorPreference: executor) {
                    for await _ in allRunning {}
                    for _ in 0..<jobs { gate.signal() }
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<jobs {
                        group.addTask {
                            try await pool.run {
                                if running.increment() == jobs { allRunningSignal.finish() }
                                gate.wait()
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                await releaser.value
                done.signal()
            }
            #expect(
                watchdogFired.values.isEmpty,
                "the blocked jobs were released by the watchdog, not by the task on the executor")
        }
    }
}
