import Foundation
import MetaDump
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The write end of the signal pipe; set once by ``Interruption/install()`` before any handler can run.
nonisolated(unsafe) private var signalPipeWrite: Int32 = -1

/// SIGINT and SIGTERM: stop the run at the next safe point, never half-way through a journal write.
///
/// The first signal cancels the task running the upgrade, rollback or data command: child
/// processes (docker CLI, mysqldump, the mariadb client) run in their own process group and are
/// ended by that cancellation, waits and sleeps end at once, and the runner journals the step as
/// failed and the run as `interrupted` before it exits with 128 + the signal (130, 143).
/// `resume` or `rollback` then finishes the run, exactly as after a crash. A second signal
/// forces: option files holding the password are removed and the process exits at once.
/// Outside an operation (no run registered), a signal removes those files and exits.
public final class Interruption: Sendable {
    /// The one instance, fed by the signal handlers ``install()`` sets up.
    public static let shared = Interruption()

    private struct State {
        var signal: Int32?
        var operation: TaskHandle?
        var installed = false
    }

    /// A running task, kept only while the operation runs inside it.
    private struct TaskHandle: @unchecked Sendable {
        let task: UnsafeCurrentTask
    }

    private let state = Mutex(State())

    /// The signal received, nil while none was.
    public var signal: Int32? { state.withLock { $0.signal } }

    /// Routes SIGINT and SIGTERM to this instance (once, at start).
    ///
    /// A plain handler writes the signal number to a pipe (the only thing it does: it must be
    /// async-signal-safe) and a dedicated thread reads it. Not `SIG_IGN` plus a dispatch source:
    /// libdispatch's signalfd only sees a signal that every thread blocks, so a thread started
    /// elsewhere (Subprocess, libmariadb) would swallow it; and children would inherit the
    /// ignored disposition, while a handled signal is reset to the default in a child.
    public static func install() {
        let installed = shared.state.withLock { state -> Bool in
            defer { state.installed = true }
            return state.installed
        }
        guard !installed else { return }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        signalPipeWrite = fds[1]
        let reader = fds[0]
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(reader, &byte, 1)
                if count == 1 {
                    shared.received(Int32(byte))
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        thread.name = "oms-upgrade signals"
        thread.start()
        for number in [SIGINT, SIGTERM] {
            _ = Glibc.signal(number) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWrite, &byte, 1)
            }
        }
    }

    private func received(_ number: Int32) {
        let first = state.withLock { state -> Bool in
            guard state.signal == nil else { return false }
            state.signal = number
            return true
        }
        guard first, let operation = state.withLock({ $0.operation }) else {
            DefaultsFile.removeAllLive()
            FileHandle.standardError.write(Data("\n\(Self.name(number)): stopping now.\n".utf8))
            _exit(128 + number)
        }
        FileHandle.standardError.write(
            Data(
                "\n\(Self.name(number)) received: stopping at the next safe point (send it again to force)...\n".utf8))
        operation.task.cancel()
    }

    /// Runs `body` so that a signal cancels it; throws ``EngineError/interrupted(signal:_:)`` when
    /// one came before it began.
    public func cancellingOnSignal<T>(_ body: () async throws -> T) async throws -> T {
        withUnsafeCurrentTask { task in
            guard let task else { return }
            state.withLock { $0.operation = TaskHandle(task: task) }
        }
        defer { state.withLock { $0.operation = nil } }
        if let signal { throw Self.error(signal) }
        return try await body()
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
