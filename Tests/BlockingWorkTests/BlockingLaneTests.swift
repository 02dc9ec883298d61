import Dispatch
import Foundation
import Testing

@testable import BlockingWork

@Suite("blocking lanes")
struct BlockingLaneTests {
    @Test("a lane runs its jobs one at a time, in the order they were submitted")
    func serialInSubmissionOrder() async throws {
        try await withPool(threads: 8) { pool in
            let lane = pool.makeLane()
            let gate = DispatchSemaphore(value: 0)
            let meter = ConcurrencyMeter()
            let order = Log<Int>()
            // Job 0 holds the lane, so every later job is queued behind it before any runs.
            let first = Task { try await lane.run { meter.measure { gate.wait() } } }
            try await waitUntil("the first job runs") { pool.threadCount == 1 && pool.queuedCount == 0 }
            var tasks: [Task<Void, any Error>] = []
            for index in 1...100 {
                tasks.append(Task { try await lane.run { meter.measure { order.append(index) } } })
                try await waitUntil("job \(index) is queued") { lane.pendingCount == index }
            }
            gate.signal()
            try await first.value
            for task in tasks { try await task.value }
            #expect(order.values == Array(1...100))
            #expect(meter.most == 1)
        }
    }

    @Test("lanes of one pool never overlap their own jobs, whatever the tasks calling them")
    func lanesStaySerialUnderConcurrentCallers() async throws {
        try await withPool(threads: 3) { pool in
            let lanes = (0..<6).map { _ in (pool.makeLane(), ConcurrencyMeter()) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (lane, meter) in lanes {
                    for _ in 0..<50 {
                        group.addTask { try await lane.run { meter.measure { _ = usleep(100) } } }
                    }
                }
                try await group.waitForAll()
            }
            #expect(lanes.map { $0.1.most } == Array(repeating: 1, count: 6))
        }
    }

    @Test("runToCompletion runs in a cancelled task: cleanup such as closing a connection is never skipped")
    func runToCompletionIgnoresCancellation() async throws {
        try await withPool(threads: 1) { pool in
            let lane = pool.makeLane()
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return await lane.runToCompletion { "closed" }
            }
            #expect(await task.value == "closed")
        }
    }
}
