/// How a run waits and what stops it: set by the command that starts the run, carried in its context.
///
/// Nothing here is a process global or read from the environment: `apply`, `resume`,
/// `rollback` and `cleanup` fill it from their options, tests in-process from their own values.
public struct RunSettings: Sendable {
    /// The default metadata retry budget per step.
    public static let defaultMetaRetryTimeout: Duration = .seconds(180)

    /// How long one step may wait for the metadata server in all (`--meta-retry-timeout`, see ``MetaRetry``).
    public var metaRetryTimeout: Duration
    /// The deployment lock's lease and check interval.
    public var lockTiming: LockTiming
    /// Where SIGINT and SIGTERM come from (the process's handlers in the executable).
    public var signals: any SignalSource

    public init(
        metaRetryTimeout: Duration = defaultMetaRetryTimeout, lockTiming: LockTiming = LockTiming(),
        signals: any SignalSource = NoSignals()
    ) {
        self.metaRetryTimeout = metaRetryTimeout
        self.lockTiming = lockTiming
        self.signals = signals
    }
}
