/// Where a run hears SIGINT and SIGTERM: the process's signal handlers in the executable, a fake in tests.
///
/// A source hands each subscriber the first signal as an element of an `AsyncStream`, in the
/// manner of swift-service-lifecycle's signal sequence; the engine never installs a handler and
/// never keeps a task of its own to cancel (see ``Interruption``).
public protocol SignalSource: Sendable {
    /// The signals from now on, until the stream is dropped or its iteration cancelled.
    ///
    /// While a subscription lives, the first signal goes to it; what the process does with a
    /// signal nobody subscribed to (or a second one) is the source's own business.
    func subscribe() -> AsyncStream<Int32>
}

/// A source that never signals: for runs driven in-process and for tests.
public struct NoSignals: SignalSource {
    public init() {}

    public func subscribe() -> AsyncStream<Int32> {
        AsyncStream { _ in }
    }
}
