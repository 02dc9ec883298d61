import Foundation
import UpgradeEngine

extension RunSettings {
    /// The variable that sets the deployment lease's length in seconds (documented; default 60, at least 5).
    static let leaseVariable = "OMS_UPGRADE_LEASE_SECONDS"

    /// The settings a command gives its run: its options, the lease from ``leaseVariable``, the process's signals.
    ///
    /// The one place that reads the environment for a run: the engine reads none.
    static func command(metaRetryTimeout: Int? = nil, lockCheckSeconds: Double? = nil) -> RunSettings {
        let lease = ProcessInfo.processInfo.environment[leaseVariable].flatMap { Int($0) }
        return RunSettings(
            metaRetryTimeout: metaRetryTimeout.map { .seconds($0) } ?? defaultMetaRetryTimeout,
            lockTiming: LockTiming(leaseSeconds: lease, checkSeconds: lockCheckSeconds),
            signals: ProcessSignals.shared)
    }
}
