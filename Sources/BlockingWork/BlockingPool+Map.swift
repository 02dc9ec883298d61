extension BlockingPool {
    /// Runs `body` for every element, at most `width` at a time, each as one pool job; results keep the input order.
    ///
    /// The first error is thrown after every started call has returned; calls not yet started are
    /// skipped once an error happened or the task was cancelled, and calls already running are told
    /// through `onCancel` (see ``run(onCancel:_:)``).
    public func map<Element: Sendable, T: Sendable>(
        _ elements: [Element], width: Int,
        onCancel: (@Sendable () -> Void)? = nil,
        _ body: @escaping @Sendable (Element) throws -> T
    ) async throws -> [T] {
        let failed = StopFlag()
        return try await withThrowingTaskGroup(of: (Int, T?).self) { group in
            var results = [T?](repeating: nil, count: elements.count)
            var next = 0
            var running = 0
            var firstError: (any Error)?
            while true {
                while next < elements.count, firstError == nil, running < max(width, 1) {
                    let index = next
                    let element = elements[index]
                    group.addTask {
                        if failed.isSet { return (index, nil) }
                        do {
                            return (index, try await self.run(onCancel: onCancel) { try body(element) })
                        } catch {
                            failed.set()
                            throw error
                        }
                    }
                    next += 1
                    running += 1
                }
                if running == 0 { break }
                do {
                    if let (index, value) = try await group.next() { results[index] = value }
                    running -= 1
                } catch {
                    running -= 1
                    if firstError == nil { firstError = error }
                }
            }
            if let firstError { throw firstError }
            return results.compactMap { $0 }  // no error: every call returned its value
        }
    }
}
