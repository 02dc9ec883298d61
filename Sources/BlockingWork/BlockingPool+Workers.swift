extension BlockingPool {
    /// Runs `body` for every item on `workers` pool jobs, each with its own state (typically a
    /// connection), taking items from a shared queue.
    ///
    /// Items are taken in order, so put the largest first. After the first error no new item is
    /// started; the error is rethrown once every worker has stopped. Cancelling the task stops the
    /// workers after their current item and throws `CancellationError`.
    public func forEach<Item: Sendable, State>(
        _ items: [Item], workers: Int,
        makeState: @escaping @Sendable () throws -> State,
        finish: @escaping @Sendable (State) -> Void = { _ in },
        _ body: @escaping @Sendable (inout State, Item) throws -> Void
    ) async throws {
        guard !items.isEmpty else { return }
        let queue = SharedItems(items)
        let stop = StopFlag()
        let cancelled = StopFlag()
        let count = max(1, min(workers, items.count))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask {
                    try await self.run(onCancel: {
                        cancelled.set()
                        stop.set()
                    }) {
                        try Self.work(queue, stop: stop, makeState: makeState, finish: finish, body)
                        if cancelled.isSet { throw CancellationError() }
                    }
                }
            }
            var firstError: (any Error)?
            while let result = await group.nextResult() {
                if case .failure(let error) = result, firstError == nil { firstError = error }
            }
            if let firstError { throw firstError }
        }
    }

    /// One worker: its state, then items until the queue is empty or `stop` is set.
    private static func work<Item: Sendable, State>(
        _ queue: SharedItems<Item>, stop: StopFlag,
        makeState: () throws -> State, finish: (State) -> Void,
        _ body: (inout State, Item) throws -> Void
    ) throws {
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
