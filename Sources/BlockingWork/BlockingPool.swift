import Dispatch
import Foundation
import Synchronization

/// A fixed set of threads that runs blocking work (libmariadb calls, file and socket I/O) off Swift's cooperative pool.
///
/// The shape of swift-nio's `NIOThreadPool`: threads fed from one FIFO queue, the caller awaiting
/// a continuation (never a semaphore or group wait on a cooperative thread). A task cancelled
/// before its work starts gets `CancellationError` and the work never runs; work already running
/// is told through the `onCancel` handler given to ``run(onCancel:_:)``. Work that must happen
/// even in a cancelled task (closing a connection, cleanup after a signal) uses
/// ``runToCompletion(_:)``. ``makeLane()`` gives a serial lane on the same threads, for a
/// connection whose calls must not overlap.
///
/// Threads start as work arrives, up to ``threadLimit``, and then stay. The limit is a ceiling,
/// not a target: blocking jobs wait on the server or the disk, not on the CPU, so it is sized for
/// the most jobs that can block at once, not for the cores.
public final class BlockingPool: Sendable {
    /// The process's pool: every blocking call of MetaDB, MetaDump and the health probe runs here.
    ///
    /// 64 threads: the most blocking jobs one run has at once is about 25 (one lane per open
    /// connection — lock keeper, session, steps — plus per database one dump, copy or restore
    /// job, and checksums on 3 workers per database, for up to 5 databases with several
    /// regions). Work that waits on other work through the server (a statement waiting for a
    /// lock that the next statement of another connection frees) must never queue behind it,
    /// so the limit leaves more than twice that as headroom.
    public static let shared = BlockingPool(threadLimit: 64, name: "oms-upgrade blocking")

    /// The most threads the pool starts.
    public let threadLimit: Int
    /// Each thread's stack: 8 MiB, the main thread's size, as the dedicated threads this pool replaces had.
    public let stackSize: Int
    /// The prefix of the threads' names.
    public let name: String

    struct State {
        var queue = JobQueue()
        var threads = 0
        var busy = 0
        var shuttingDown = false
    }

    /// The queue and the thread counts (internal: the tests read them).
    let state = Mutex(State())
    /// One signal per queued job (and one per thread at shutdown); idle threads wait on it.
    private let wakeups = DispatchSemaphore(value: 0)

    /// A pool of at most `threadLimit` threads with `stackSize`-byte stacks.
    public init(threadLimit: Int, stackSize: Int = 8 << 20, name: String) {
        precondition(threadLimit > 0, "a BlockingPool needs at least one thread")
        self.threadLimit = threadLimit
        self.stackSize = stackSize
        self.name = name
    }

    /// Runs `body` on a pool thread and returns its result; throws `CancellationError` without
    /// running it when the task is cancelled before a thread takes it.
    ///
    /// - Parameter onCancel: called (on the cancelling thread) when the task is cancelled while
    ///   `body` runs: set a flag `body` checks, or ask the server to stop the statement.
    public func run<T: Sendable>(
        onCancel: (@Sendable () -> Void)? = nil,
        _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await Self.submit(onCancel: onCancel, body, to: enqueue)
    }

    /// Runs `body` on a pool thread even when the task is cancelled; for work that must happen.
    public func runToCompletion<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await Self.submitToCompletion(body, to: enqueue)
    }

    /// A new serial lane on this pool: its jobs run one at a time, in the order they were submitted.
    public func makeLane() -> BlockingLane {
        BlockingLane(pool: self)
    }

    /// The pool whose thread is running the caller, or `nil` off the pool (on the cooperative pool, say).
    public static var current: BlockingPool? {
        guard let pointer = pthread_getspecific(currentKey) else { return nil }
        return Unmanaged<BlockingPool>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Ends the threads once the queued work is done; no work may be submitted afterwards. For tests:
    /// ``shared`` lives as long as the process.
    public func shutdown() {
        let threads = state.withLock { state -> Int in
            state.shuttingDown = true
            return state.threads
        }
        for _ in 0..<threads { wakeups.signal() }
    }

    /// Queues `job` and starts a thread when more jobs wait than threads are free.
    func enqueue(_ job: BlockingJob) {
        let number: Int? = state.withLock { state in
            precondition(!state.shuttingDown, "work submitted to \(name) after shutdown()")
            state.queue.append(job)
            guard state.threads < threadLimit, state.threads - state.busy < state.queue.count else { return nil }
            state.threads += 1
            return state.threads
        }
        if let number { startThread(number) }
        wakeups.signal()
    }

    private func startThread(_ number: Int) {
        let thread = Thread { [self] in
            pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
            serve()
        }
        thread.name = "\(name) #\(number)"
        thread.stackSize = stackSize
        thread.start()
    }

    /// A thread's loop: take the next job, run it, until shutdown leaves nothing to take.
    private func serve() {
        while true {
            wakeups.wait()
            let next: BlockingJob? = state.withLock { state in
                guard let job = state.queue.popFirst() else {
                    if state.shuttingDown { state.threads -= 1 }
                    return nil
                }
                state.busy += 1
                return job
            }
            guard let next else {
                if state.withLock({ $0.shuttingDown }) { return }
                continue
            }
            Self.execute(next)
            state.withLock { $0.busy -= 1 }
        }
    }

    /// Runs a job's work unless it was cancelled, then resumes its caller.
    static func execute(_ job: BlockingJob) {
        // The work is a temporary: released at the end of this statement, before the caller resumes,
        // as callers holding a closure through `withoutActuallyEscaping` need.
        guard let delivery = job.start()?() else { return }
        job.finish()
        delivery()
    }

    /// The thread-specific key that marks pool threads with their pool.
    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()
}

extension BlockingPool {
    /// Wraps `body` in a job, hands it to `enqueue` and awaits it; see ``run(onCancel:_:)``.
    static func submit<T: Sendable>(
        onCancel: (@Sendable () -> Void)?,
        _ body: @escaping @Sendable () throws -> T,
        to enqueue: (BlockingJob) -> Void
    ) async throws -> T {
        let job = BlockingJob(onCancel: onCancel)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let work: BlockingJob.Work = {
                    let result = Result(catching: body)
                    return { continuation.resume(with: result) }
                }
                if job.arm(work, cancel: { continuation.resume(throwing: CancellationError()) }) {
                    enqueue(job)
                } else {
                    continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            job.cancel()
        }
    }

    /// Wraps `body` in a job no cancellation reaches, hands it to `enqueue` and awaits it.
    static func submitToCompletion<T: Sendable>(
        _ body: @escaping @Sendable () -> T,
        to enqueue: (BlockingJob) -> Void
    ) async -> T {
        let job = BlockingJob(onCancel: nil)
        return await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let armed = job.arm(
                {
                    let value = body()
                    return { continuation.resume(returning: value) }
                }, cancel: {})
            precondition(armed, "a job nobody can cancel was cancelled")
            enqueue(job)
        }
    }
}
