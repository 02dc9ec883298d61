import Foundation
import Synchronization

/// Blocking work started on a thread of its own, joined later from another blocking thread.
final class BackgroundJob<T: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<T, any Error>?>(nil)

    /// Starts `body` on a new thread.
    init(name: String, _ body: @escaping @Sendable () throws -> T) {
        let thread = Thread { [self] in
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
            done.signal()
        }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the job and returns its result or rethrows its error.
    func join() throws -> T {
        done.wait()
        done.signal()  // later joins return at once
        return try result.withLock { $0! }.get()
    }
}
