import Synchronization

/// A fixed number of threads, each with its own state (typically a connection), taking items from a shared queue.
///
/// Items are taken in order, so put the largest first. After the first error
/// no new item is started; the error is rethrown once every worker has stopped.
enum WorkerPool {
    static func run<Item: Sendable, State>(
        _ items: [Item], workers: Int, name: String,
        makeState: @escaping @Sendable () throws -> State,
        finish: @escaping @Sendable (State) -> Void = { _ in },
        _ body: @escaping @Sendable (inout State, Item) throws -> Void
    ) async throws {
        guard !items.isEmpty else { return }
        let queue = ItemQueue(items)
        let stop = StopFlag()
        let count = max(1, min(workers, items.count))
        _ = try await DedicatedThread.map(Array(0..<count), width: count, name: name) { _ in
            var state: State
            do {
                state = try makeState()
            } catch {
                stop.set()
                throw error
            }
            defer { finish(state) }
            while !stop.isSet, let item = queue.next() {
                do {
                    try body(&state, item)
                } catch {
                    stop.set()
                    throw error
                }
            }
        }
    }
}

/// A queue of items shared by worker threads.
private final class ItemQueue<Item: Sendable>: Sendable {
    private let state: Mutex<(items: [Item], next: Int)>

    init(_ items: [Item]) {
        state = Mutex((items, 0))
    }

    func next() -> Item? {
        state.withLock { state in
            guard state.next < state.items.count else { return nil }
            defer { state.next += 1 }
            return state.items[state.next]
        }
    }
}
