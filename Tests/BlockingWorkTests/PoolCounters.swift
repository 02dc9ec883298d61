import Synchronization

@testable import BlockingWork

extension BlockingPool {
    /// How many jobs wait for a thread.
    var queuedCount: Int { state.withLock { $0.queue.count } }
    /// How many threads the pool has started.
    var threadCount: Int { state.withLock { $0.threads } }
}

extension BlockingLane {
    /// How many jobs wait in the lane, not counting the one running.
    var pendingCount: Int { state.withLock { $0.pending.count } }
}
