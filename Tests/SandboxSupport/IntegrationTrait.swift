import Testing

/// An integration test: it holds one of ``TestSlots``, and its tasks run on
/// ``ElasticThreadExecutor`` instead of the cooperative pool.
///
/// The cooperative pool has one thread per core (two on CI). Integration tests block threads:
/// they wait for processes (`docker`, `mariadb`, the `oms-upgrade` executable), sleep, or call the
/// MariaDB client. On the pool, two of them stalled every other test, and the code under test
/// with it: swift-subprocess finishes each run in an unstructured task on the pool, so a
/// one-second `docker` call overran its 120-second limit. Apply `.integration` to every suite
/// (or test) tagged `.mariadb` or `.docker`.
public struct IntegrationTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard !test.isSuite else { return try await function() }
        try await TestSlots.integration.withSlot {
            try await withTaskExecutorPreference(ElasticThreadExecutor.shared) { try await function() }
        }
    }
}

extension Trait where Self == IntegrationTrait {
    /// An integration test: a slot of its own and threads of its own (see ``IntegrationTrait``).
    public static var integration: Self { Self() }
}
