import Testing

/// Runs a test's tasks on ``ElasticThreadExecutor`` instead of the cooperative pool.
///
/// The cooperative pool has one thread per core (two on CI). Tests that block a thread (they
/// wait for a process, sleep, or call the MariaDB client) hold those threads for seconds to
/// minutes, and code under test waiting in the pool stalls meanwhile: a `docker` call that took
/// a second overran its 120-second limit, a watcher missed a dump. Apply `.ownThreads` to every
/// suite whose tests run the product's async code in-process; the suites that only drive the
/// `oms-upgrade` executable (its own process, its own pool) do not need it.
public struct OwnThreadsTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard !test.isSuite else { return try await function() }
        try await withTaskExecutorPreference(ElasticThreadExecutor.shared) { try await function() }
    }
}

extension Trait where Self == OwnThreadsTrait {
    /// The test's tasks run on threads of their own (see ``OwnThreadsTrait``).
    public static var ownThreads: Self { Self() }
}
