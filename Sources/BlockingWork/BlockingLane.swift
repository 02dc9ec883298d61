import Synchronization

/// A serial lane on a ``BlockingPool``: its jobs run one at a time, in submission order, on the pool's threads.
///
/// For a libmariadb connection, which is not thread-safe: every call on it goes through its lane,
/// so no two overlap. A lane owns no thread; while it has work, one pool thread runs its jobs
/// back to back (as a serial `DispatchQueue` would), and it gives the thread back when empty.
/// Cancellation works as on the pool: a job cancelled while it waits in the lane never runs.
public final class BlockingLane: Sendable {
    struct State {
        var pending = JobQueue()
        var draining = false
    }

    private let pool: BlockingPool
    /// The lane's queue and whether it drains (internal: the tests read how many jobs wait).
    let state = Mutex(State())

    init(pool: BlockingPool) {
        self.pool = pool
    }

    /// Runs `body` after the lane's earlier jobs; see ``BlockingPool/run(onCancel:_:)``.
    public func run<T: Sendable>(
        onCancel: (@Sendable () -> Void)? = nil,
        _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await BlockingPool.submit(onCancel: onCancel, body, to: enqueue)
    }

    /// Runs `body` after the lane's earlier jobs, even when the task is cancelled.
    public func runToCompletion<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await BlockingPool.submitToCompletion(body, to: enqueue)
    }

    /// Queues `job`; hands the pool a drain job when the lane was idle.
    private func enqueue(_ job: BlockingJob) {
        let startDraining = state.withLock { state -> Bool in
            state.pending.append(job)
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
        guard startDraining else { return }
        let drain = BlockingJob(onCancel: nil)
        _ = drain.arm(
            { [self] in
                self.drain()
                return {}
            }, cancel: {})
        pool.enqueue(drain)
    }

    /// Runs the lane's jobs until none is left (on a pool thread).
    private func drain() {
        while let job = state.withLock({ state -> BlockingJob? in
            guard let job = state.pending.popFirst() else {
                state.draining = false
                return nil
            }
            return job
        }) {
            BlockingPool.execute(job)
        }
    }
}
