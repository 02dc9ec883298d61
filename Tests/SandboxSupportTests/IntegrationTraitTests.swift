import Foundation
import SandboxSupport
import Testing

/// `.ownThreads` moves a test off the cooperative pool, onto threads that grow with demand.
@Suite("tests on threads of their own")
struct OwnThreadsTraitTests {
    @Test("an .ownThreads test runs on the elastic executor, before and after it awaits", .ownThreads)
    func runsOnTheElasticExecutor() async throws {
        #expect(ElasticThreadExecutor.isCurrentThreadElastic)
        try await Task.sleep(for: .milliseconds(10))
        #expect(ElasticThreadExecutor.isCurrentThreadElastic)
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { ElasticThreadExecutor.isCurrentThreadElastic }
            for await elastic in group { #expect(elastic, "a child task") }
        }
    }

    @Test("four times as many blocked tasks as cores all run at once: none waits for a thread", .ownThreads)
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
