import Foundation
import MetaDump
import Synchronization
import UpgradeEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The write end of the signal pipe; set once by ``ProcessSignals/install()`` before any handler can run.
nonisolated(unsafe) private var signalPipeWrite: Int32 = -1

/// The process's SIGINT and SIGTERM, handed to the operation that subscribed (see ``SignalSource``).
///
/// The first signal goes to the operations subscribed at that moment (a run, a backup, a
/// restore), which stop at their next safe point (see ``Interruption``). A second signal forces:
/// option files holding the password are removed and the process exits at once with 128 + the
/// signal. So does a signal that comes while no operation is subscribed. Signal handlers are a
/// property of the process, so this is the one process-wide instance, installed by `main`; the
/// engine only sees the `AsyncStream` of a subscription.
public final class ProcessSignals: SignalSource {
    /// The one instance, fed by the handlers ``install()`` sets up.
    public static let shared = ProcessSignals()

    private struct State {
        var signal: Int32?
        var subscribers: [UInt64: AsyncStream<Int32>.Continuation] = [:]
        var nextID: UInt64 = 0
        var installed = false
    }

    private let state = Mutex(State())

    private init() {}

    /// The first signal received, nil while none was (the exit status is 128 + it).
    public var signal: Int32? { state.withLock { $0.signal } }

    public func subscribe() -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        let id = state.withLock { state -> UInt64 in
            defer { state.nextID += 1 }
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Routes SIGINT and SIGTERM to ``shared`` (once, at start).
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
        let subscribers = state.withLock { state -> [AsyncStream<Int32>.Continuation] in
            guard state.signal == nil else { return [] }
            state.signal = number
            return Array(state.subscribers.values)
        }
        guard !subscribers.isEmpty else {
            DefaultsFile.removeAllLive()
            FileHandle.standardError.write(Data("\n\(Interruption.name(number)): stopping now.\n".utf8))
            _exit(128 + number)
        }
        FileHandle.standardError.write(
            Data(
                "\n\(Interruption.name(number)) received: stopping at the next safe point (send it again to force)...\n"
                    .utf8))
        for subscriber in subscribers { subscriber.yield(number) }
    }
}
