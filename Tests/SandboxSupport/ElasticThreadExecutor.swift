import Foundation

/// A task executor whose threads grow with demand: a job never waits for a busy thread.
///
/// Each enqueued job runs on an idle thread of the executor, or on a new one when every thread
/// is busy; a thread idle for ``idleLifetime`` ends. Jobs of one task run one at a time as
/// usual, jobs of different tasks run in parallel. Used by ``IntegrationTrait``.
public final class ElasticThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// The executor the ``IntegrationTrait`` tests share.
    public static let shared = ElasticThreadExecutor()

    /// Whether the calling thread is one of an elastic executor's.
    public static var isCurrentThreadElastic: Bool { pthread_getspecific(threadMarker) != nil }

    /// Set on every executor thread (`Thread.current.name` is not reliable on Linux).
    private static let threadMarker: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "no thread-specific key left")
        return key
    }()

    /// How long a thread waits for a job before it ends.
    let idleLifetime: TimeInterval = 10

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var pending: [UnownedJob] = []
    private var nextPending = 0
    private var idleThreads = 0

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        pending.append(job)
        // Every idle thread may already be claimed by jobs enqueued before this one.
        let startsThread = pending.count - nextPending > idleThreads
        condition.signal()
        condition.unlock()
        if startsThread {
            let thread = Thread { [self] in
                pthread_setspecific(Self.threadMarker, UnsafeRawPointer(bitPattern: 1))
                work()
            }
            thread.name = "elastic-executor"
            thread.start()
        }
    }

    /// Runs jobs until none comes for ``idleLifetime``.
    private func work() {
        condition.lock()
        while true {
            while nextPending == pending.count {
                idleThreads += 1
                let signalled = condition.wait(until: Date(timeIntervalSinceNow: idleLifetime))
                idleThreads -= 1
                if !signalled && nextPending == pending.count {
                    condition.unlock()
                    return
                }
            }
            let job = pending[nextPending]
            nextPending += 1
            if nextPending == pending.count {
                pending.removeAll(keepingCapacity: true)
                nextPending = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
            condition.lock()
        }
    }
}
