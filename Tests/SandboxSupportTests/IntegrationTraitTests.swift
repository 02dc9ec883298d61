import Foundation
import SandboxSupport
import Synchronization
import Testing

/// `.integration` moves a test off the cooperative pool, onto threads that grow with demand, and
/// bounds how many such tests run at once.
@Suite("integration tests: threads of their own, a bounded number at once")
struct IntegrationTraitTests {
    @Test("an .integration test runs on the elastic executor, before and after it awaits", .integration)
    func runsOnTheElasticExecutor() async throws {
        #expect(ElasticThreadExecutor.isCurrentThreadElastic)
        try await Task.sleep(for: .milliseconds(10))
        #expect(ElasticThreadExecutor.isCurrentThreadElastic)
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { ElasticThreadExecutor.isCurrentThreadElastic }
            for await elastic in group { #expect(elastic, "a child task") }
        }
    }

    @Test("four times as many blocked tasks as cores all run at once: none waits for a thread", .integration)
    func blockedTasksDoNotWaitForEachOther() async {
        // On the cooperative pool (one thread per core) the first tasks would block every thread
        // and the others would never arrive: each waits 10 s, then reports the barrier missed.
        let barrier = Barrier(parties: ProcessInfo.processInfo.activeProcessorCount * 4)
        let met = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<barrier.parties { group.addTask { barrier.arriveAndWait(timeout: 10) } }
            return await group.reduce(into: 0) { count, met in count += met ? 1 : 0 }
        }
        #expect(met == barrier.parties)
    }

    @Test("no more than `limit` bodies hold a slot at once; a nested slot is the same slot")
    func slotsBoundTheConcurrency() async {
        let slots = TestSlots(limit: 3)
        let meter = ConcurrencyMeter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<(slots.limit * 4) {
                group.addTask {
                    await slots.withSlot {
                        // Nested, as a suite's and a test's traits nest: no second slot, no dead-lock.
                        await slots.withSlot {
                            meter.enter()
                            try? await Task.sleep(for: .milliseconds(50))
                            meter.leave()
                        }
                    }
                }
            }
        }
        #expect(meter.peak == slots.limit)
    }
}

/// Counts bodies running at once and remembers the most.
private final class ConcurrencyMeter: Sendable {
    private let counts = Mutex((now: 0, peak: 0))
    func enter() {
        counts.withLock {
            $0.now += 1
            $0.peak = max($0.peak, $0.now)
        }
    }
    func leave() { counts.withLock { $0.now -= 1 } }
    var peak: Int { counts.withLock { $0.peak } }
}

/// A blocking barrier: every party waits until all have arrived, or the timeout passes.
private final class Barrier: @unchecked Sendable {
    let parties: Int
    private let condition = NSCondition()
    private var arrived = 0

    init(parties: Int) { self.parties = parties }

    /// Arrives and blocks the thread; true when every party arrived within `timeout` seconds.
    func arriveAndWait(timeout: TimeInterval) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        condition.broadcast()
        while arrived < parties {
            if !condition.wait(until: deadline) { return arrived >= parties }
        }
        return true
    }
}
