/// What the runner asks before every step: is the deployment's lock still this run's?
///
/// ``LockKeeper`` is the product's; in-process tests of the runner give one of their own.
public protocol LockCheck: Sendable {
    /// Returns when the lock is held; throws ``EngineError/lockLost(_:)`` when another process took it.
    func ensureHeld() async throws
}

extension LockKeeper: LockCheck {}
