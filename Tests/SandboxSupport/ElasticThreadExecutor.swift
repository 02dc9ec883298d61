import BlockingWork

/// A task executor whose threads grow with demand: a job never waits for a busy thread.
///
/// The jobs run on a ``BlockingPool`` of its own, which starts a thread whenever more jobs wait
/// than threads are free. Jobs of one task run one at a time as usual, jobs of different tasks
/// run in parallel. Used by ``IntegrationTrait``.
public final class ElasticThreadExecutor: TaskExecutor, Sendable {
    /// The executor the ``IntegrationTrait`` tests share.
    public static let shared = ElasticThreadExecutor()

    /// Whether the calling thread is one of the shared executor's.
    public static var isCurrentThreadElastic: Bool { BlockingPool.current === shared.pool }

    /// A ceiling no test run reaches: every blocked job holds a thread.
    private let pool = BlockingPool(threadLimit: 1024, name: "elastic-executor")

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
