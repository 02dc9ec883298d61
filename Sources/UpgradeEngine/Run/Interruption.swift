import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What SIGINT or SIGTERM did to one run (or one data command): the signal, once it came.
///
/// ``cancelling(on:_:)`` runs the operation as a child of a task group next to a child that
/// listens to a ``SignalSource``; the first signal is recorded here and cancels the group, so the
/// operation's child processes (docker CLI, mysqldump, the mariadb client, in their own process
/// group) are ended by that cancellation, and waits and sleeps end at once. The runner journals
/// the step as failed and the run as `interrupted` and throws ``error(_:)``, which exits with
/// 128 + the signal (130, 143). `resume` or `rollback` then finishes the run, exactly as after a
/// crash. A signal never starts a rollback.
public final class Interruption: Sendable {
    private struct State {
        var signal: Int32?
        var cancelled = false
    }

    private let state = Mutex(State())

    public init() {}

    /// The signal received, nil while none was.
    public var signal: Int32? { state.withLock { $0.signal } }

    /// Whether the signal has cancelled the operation by now (the fault-injection points wait for it).
    var hasCancelled: Bool { state.withLock { $0.cancelled } }

    /// Records `signal`, the first one only.
    private func record(_ signal: Int32) {
        state.withLock { state in
            if state.signal == nil { state.signal = signal }
        }
    }

    /// Runs `body` so that the first signal from `source` is recorded here and cancels it.
    ///
    /// The body's own result or error is returned either way: the caller reads ``signal`` to
    /// tell an interruption from a failure.
    public func cancelling<T: Sendable>(
        on source: any SignalSource, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let signals = source.subscribe()
        return try await withThrowingTaskGroup(of: InterruptionOutcome<T>.self) { group in
            group.addTask { [self] in
                for await number in signals {
                    // Recorded before the body is cancelled: whatever error the cancellation
                    // surfaces, the runner sees the signal and never takes it for a failure.
                    record(number)
                    return .signalled
                }
                return .unsubscribed
            }
            group.addTask { .finished(try await body()) }
            while let outcome = try await group.next() {
                switch outcome {
                case .finished(let value):
                    group.cancelAll()
                    return value
                case .signalled:
                    group.cancelAll()
                    state.withLock { $0.cancelled = true }
                case .unsubscribed:
                    continue
                }
            }
            // Unreachable: the body's child returns or throws before the group runs dry.
            throw CancellationError()
        }
    }

    /// The error a signal turns into: exits with 128 + the signal.
    public static func error(_ signal: Int32) -> EngineError {
        .interrupted(
            signal: signal,
            "Interrupted by \(name(signal)) at a safe point; the journal says where. "
                + "Run `oms-upgrade resume` to continue or `oms-upgrade rollback` to undo.")
    }

    /// `SIGINT`, `SIGTERM` or `signal N`.
    public static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }
}

/// What ended first in ``Interruption/cancelling(on:_:)``: the operation, a signal, or the subscription.
private enum InterruptionOutcome<T: Sendable>: Sendable {
    case finished(T)
    case signalled
    case unsubscribed
}
