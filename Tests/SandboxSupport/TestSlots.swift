import Foundation
import Synchronization

/// At most ``limit`` integration tests at a time: the throttle the shared MariaDB and dockerd need.
///
/// Swift Testing starts every test at once. Integration tests run on threads of their own
/// (``IntegrationTrait``), so nothing else bounds how many deploy fixtures and run upgrades
/// together; without a bound, a hundred of them share two cores and the product's own limits
/// (120 s per docker command, the health timeouts) fail for load alone. Set `OMS_TEST_SLOTS` to
/// change the bound.
public enum TestSlots {
    /// How many integration tests run at once: `OMS_TEST_SLOTS`, else 6.
    public static let limit: Int =
        ProcessInfo.processInfo.environment["OMS_TEST_SLOTS"].flatMap(Int.init).map { max(1, $0) } ?? 6

    /// Whether the current task already holds a slot (a nested scope takes none).
    @TaskLocal static var held = false

    private struct State {
        var free = TestSlots.limit
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private static let state = Mutex(State())

    /// Runs `body` holding a slot, waiting (without blocking a thread) until one is free.
    public static func withSlot<T>(_ body: () async throws -> T) async rethrows -> T {
        if held { return try await body() }
        await acquire()
        defer { release() }
        return try await $held.withValue(true) { try await body() }
    }

    private static func acquire() async {
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

    private static func release() {
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
