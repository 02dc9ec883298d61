import Synchronization

/// One piece of blocking work on its way through a ``BlockingPool``: created, queued, running, then done or cancelled.
///
/// The phase is what makes cancellation exact: a job cancelled while still queued never runs
/// (its caller is resumed with `CancellationError` at once and the queued work is dropped); a job
/// cancelled while running is told through its `onCancel` handler; a finished job ignores it.
final class BlockingJob: Sendable {
    /// Runs the work and returns what resumes its caller; called at most once, on a pool thread.
    typealias Work = @Sendable () -> Delivery
    /// Resumes the caller with the work's result.
    typealias Delivery = @Sendable () -> Void

    private enum Phase {
        case created
        case queued(work: Work, cancel: @Sendable () -> Void)
        case running
        case cancelled
        case finished
    }

    private let phase = Mutex<Phase>(.created)
    private let onCancel: (@Sendable () -> Void)?

    init(onCancel: (@Sendable () -> Void)?) {
        self.onCancel = onCancel
    }

    /// Hands the job its work; `false` when it was cancelled first (the caller then resumes itself).
    func arm(_ work: @escaping Work, cancel: @escaping @Sendable () -> Void) -> Bool {
        phase.withLock { phase in
            guard case .created = phase else { return false }
            phase = .queued(work: work, cancel: cancel)
            return true
        }
    }

    /// Takes the work out to run it now, or `nil` when the job was cancelled while it waited.
    ///
    /// The job keeps no reference to the work afterwards, so the work's captures end with the run.
    func start() -> Work? {
        phase.withLock { phase in
            guard case .queued(let work, _) = phase else { return nil }
            phase = .running
            return work
        }
    }

    /// Marks the work done; from now on a cancellation reaches nobody. Call it before delivering.
    func finish() {
        phase.withLock { $0 = .finished }
    }

    /// The task awaiting the job was cancelled: drop the work if it has not started, else tell it.
    func cancel() {
        let action: (@Sendable () -> Void)? = phase.withLock { phase in
            switch phase {
            case .created:
                phase = .cancelled
                return nil
            case .queued(_, let cancel):
                phase = .cancelled
                return cancel
            case .running:
                return onCancel
            case .cancelled, .finished:
                return nil
            }
        }
        action?()
    }
}
