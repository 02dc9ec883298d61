import Foundation
import Testing

/// Gives a test the multi-node test bed to itself: tests of different suites (and test processes)
/// take turns through an exclusive `flock` on `/run/omsn-bed.lock`.
///
/// One test stops a node's engine and expects it down until it restarts it; a test elsewhere that
/// brought the bed up meanwhile (``NodeBed/require(nodes:)`` restarts engines) would break it.
/// Apply it as `.nodeBed` to every suite or test that uses the bed.
public struct NodeBedLock: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public static let path = "/run/omsn-bed.lock"

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // Suites pass through; each test (or test case) holds the lock while it runs. The test
        // slot comes first, whatever the order of the traits: a test holding the bed while it
        // waits for a slot would block the slot holders waiting for the bed.
        guard !test.isSuite else { return try await function() }
        try await TestSlots.integration.withSlot { try await Self.exclusive { try await function() } }
    }

    /// Runs `body` with the bed to itself (for a part of a test that uses the bed).
    public static func exclusive<T>(_ body: () async throws -> T) async throws -> T {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SandboxError("cannot open \(path): errno \(errno)") }
        defer { close(descriptor) }
        // Polled, never a blocking flock: a blocked thread of the cooperative pool stalls other tests.
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 { try await Task.sleep(for: .milliseconds(100)) }
        defer { flock(descriptor, LOCK_UN) }
        return try await body()
    }
}

extension Trait where Self == NodeBedLock {
    /// The multi-node test bed, one test at a time (see ``NodeBedLock``).
    public static var nodeBed: Self { Self() }
}
