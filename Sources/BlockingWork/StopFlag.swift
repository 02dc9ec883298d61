import Synchronization

/// A flag set once, read from any thread: "stop starting new work".
public final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Whether the flag has been set.
    public var isSet: Bool { flag.load(ordering: .relaxed) }

    /// Sets the flag.
    public func set() { flag.store(true, ordering: .relaxed) }
}
