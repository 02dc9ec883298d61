/// How a run's deployment lock is timed: the lease's length and the interval of the background checks.
///
/// Set by the command that starts the run (`OMS_UPGRADE_LEASE_SECONDS` and the hidden
/// `--lock-check-seconds` are read there); the engine reads no environment.
public struct LockTiming: Sendable, Equatable {
    /// The lease's default length in seconds.
    public static let defaultLeaseSeconds = 60
    /// The default seconds between background checks.
    public static let defaultCheckSeconds: Double = 10

    /// The lease's length on a server that keeps a dead session's `GET_LOCK` (the OceanBase kernel).
    public let leaseSeconds: Int
    /// Seconds between background checks, before the cap at a third of the lease.
    public let checkSeconds: Double

    /// A timing; a lease under 5 s or a check interval of 0 or less falls back to the default.
    public init(leaseSeconds: Int? = nil, checkSeconds: Double? = nil) {
        self.leaseSeconds = leaseSeconds.flatMap { $0 >= 5 ? $0 : nil } ?? Self.defaultLeaseSeconds
        self.checkSeconds = checkSeconds.flatMap { $0 > 0 ? $0 : nil } ?? Self.defaultCheckSeconds
    }

    /// Time between background checks: at most a third of the lease time (each check renews a lease).
    public var checkInterval: Duration {
        .seconds(min(checkSeconds, Double(leaseSeconds) / 3))
    }
}
