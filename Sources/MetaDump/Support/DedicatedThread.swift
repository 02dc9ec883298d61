import Foundation
import Synchronization

/// Runs blocking work (a ``MetaDB/Connection``, file I/O) on a thread of its own, never on Swift's cooperative pool.
enum DedicatedThread {
    /// Runs `body` on a new thread and returns its result to the awaiting task.
    static func run<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Runs `body` for every element, at most `width` at a time, each on its own thread; results keep the input order.
    ///
    /// The first error is thrown after every started call has returned; calls not
    /// yet started are skipped once an error happened.
    static func map<Element: Sendable, T: Sendable>(
        _ elements: [Element], width: Int, name: String,
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
                            return (index, try await run("\(name)-\(index)") { try body(element) })
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
            return results.map { $0! }
        }
    }
}

/// A flag set once, read from any thread: "stop starting new work".
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    /// Whether the flag has been set.
    var isSet: Bool { flag.load(ordering: .relaxed) }
    /// Sets the flag.
    func set() { flag.store(true, ordering: .relaxed) }
}
