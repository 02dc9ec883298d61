#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps a dead peer from killing the process with `SIGPIPE` while the client library writes.
///
/// Connector/C sends on plain sockets with `MSG_NOSIGNAL`, but over TLS OpenSSL
/// writes with `write(2)`, which raises `SIGPIPE` when the server has closed the
/// connection; the default action ends the process. Instead of changing the
/// process-wide disposition (which child processes would inherit), each call into
/// the library runs with `SIGPIPE` blocked on the calling thread; a `SIGPIPE` the
/// call raised is consumed before the mask is restored, and the call sees `EPIPE`
/// and reports a lost connection. A `SIGPIPE` raised by the caller's own code
/// inside a streaming callback is consumed the same way (its write gets `EPIPE`).
enum SignalGuard {
    /// Runs `body` with `SIGPIPE` blocked on this thread.
    static func withSIGPIPEBlocked<T>(_ body: () throws -> T) rethrows -> T {
        #if os(Linux)
            var pipeOnly = sigset_t()
            sigemptyset(&pipeOnly)
            sigaddset(&pipeOnly, SIGPIPE)
            var previous = sigset_t()
            pthread_sigmask(SIG_BLOCK, &pipeOnly, &previous)
            let alreadyBlocked = sigismember(&previous, SIGPIPE) == 1
            var pendingBefore = sigset_t()
            sigpending(&pendingBefore)
            let alreadyPending = sigismember(&pendingBefore, SIGPIPE) == 1
            defer {
                if !alreadyBlocked {
                    if !alreadyPending {
                        var pending = sigset_t()
                        sigpending(&pending)
                        if sigismember(&pending, SIGPIPE) == 1 {
                            var noWait = timespec(tv_sec: 0, tv_nsec: 0)
                            _ = sigtimedwait(&pipeOnly, nil, &noWait)
                        }
                    }
                    pthread_sigmask(SIG_SETMASK, &previous, nil)
                }
            }
            return try body()
        #else
            // Darwin: OpenSSL sockets there would need SO_NOSIGPIPE; this tool runs on Linux.
            return try body()
        #endif
    }
}
