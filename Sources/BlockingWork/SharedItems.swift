import Synchronization

/// A list of items handed out one at a time to whichever worker asks first.
final class SharedItems<Item: Sendable>: Sendable {
    private let state: Mutex<(items: [Item], next: Int)>

    init(_ items: [Item]) {
        state = Mutex((items, 0))
    }

    /// The next item, or `nil` when all were handed out.
    func next() -> Item? {
        state.withLock { state in
            guard state.next < state.items.count else { return nil }
            defer { state.next += 1 }
            return state.items[state.next]
        }
    }
}
