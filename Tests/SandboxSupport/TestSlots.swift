import Foundation
import Synchronization

/// A bound on how many tests run at once: the throttle the shared MariaDB and dockerd need.
///
/// Swift Testing starts every test at once. Integration tests run on threads of their own
/// (``IntegrationTrait``), so nothing else bounds how many deploy fixtures and run upgrades
/// together; without a bound, a hundred of them share two cores and the product's own limits
/// (120 s per docker command, the health timeouts) fail for load alone.
public final class TestSlots: Sendable {
    /// The integration tests' slots: `OMS_TEST_SLOTS`, else 6.
    public static let integration = TestSlots(
        limit: ProcessInfo.processInfo.environment["OMS_TEST_SLOTS"].flatMap(Int.init).map { max(1, $0) } ?? 6)

    /// How many bodies run at once.
    public let limit: Int

    /// The slot sets whose slot the current task holds (a nested scope takes no second one).
    @TaskLocal private static var held: Set<ObjectIdentifier> = []

    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    /// `limit` slots.
    public init(limit: Int) {
        precondition(limit > 0, "TestSlots needs at least one slot")
        self.limit = limit
        state = Mutex(State(free: limit))
    }

    /// Runs `body` holding a slot, waiting (without blocking a thread) until one is free.
    public func withSlot<T>(_ body: () async throws -> T) async rethrows -> T {
        let key = ObjectIdentifier(self)
        if Self.held.contains(key) { return try await body() }
        await acquire()
        defer { release() }
        return try await Self.$held.withValue(Self.held.union([key])) { try await body() }
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                guard state.free > 0 else {
                    state.waiting.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
