import Foundation
import MetaDB

/// The preflight checks on the metadata server that one node and several nodes share: the
/// metadata user's privileges, the deployment's lock, and HA.
enum MetadataChecks {
    /// The metadata user (`user`, for the message) has the global privileges the upgrade needs.
    static func privileges(_ connection: AsyncConnection, user: String) async throws -> PreflightCheck {
        let lacking = try await MetadataInspector.missingGlobalPrivileges(connection)
        guard !lacking.isEmpty else { return .pass("privileges", "\(user) has the privileges the upgrade needs.") }
        return .fail(
            "privileges",
            "\(user) lacks \(lacking.joined(separator: ", ")) on *.* (snapshots and quarantine go into sibling"
                + " databases).",
            remedy: "GRANT \(lacking.joined(separator: ", ")) ON *.* TO the metadata user.")
    }

    /// No other run holds the deployment's lock; the holder and its age come from the server's
    /// lease record or the lock file in `workDir`.
    static func lock(options: ConnectionOptions, rmDatabase: String, workDir: String) async throws -> PreflightCheck {
        let lockFile = RunDirectory(workDir: URL(filePath: workDir), runID: "").lockURL
        guard
            let holder = try await DeploymentLock.currentHolder(
                options: options, rmDatabase: rmDatabase, lockFile: lockFile)
        else {
            return .pass("lock", "No other upgrade of this deployment is in progress.")
        }
        return .fail(
            "lock",
            "Another upgrade of this deployment is in progress: \(holder) holds its lock.",
            remedy: "Wait for it to finish, or see `oms-upgrade status`.")
    }

    /// HA's state in `oms_normal_config` (nil when there is no `ha.config` row) and its check;
    /// `whenOn` says what the upgrade does with HA on.
    static func highAvailability(
        _ connection: AsyncConnection, rmDatabase: String, whenOn: String
    ) async throws -> (enabled: Bool?, keys: [String], check: PreflightCheck) {
        let read: HighAvailabilitySwitch.State?
        do {
            read = try await HighAvailabilitySwitch.read(connection, rmDatabase: rmDatabase)
        } catch let error as HAConfigError {
            return (nil, [], .fail("ha", error.problem, remedy: error.remedy))
        }
        guard let ha = read else {
            return (nil, [], .warn("ha", "No ha.config row in \(rmDatabase).oms_normal_config: HA is left alone."))
        }
        let keys = ha.enabledKeys.joined(separator: ", ")
        return (ha.enabled, ha.enabledKeys, .pass("ha", ha.enabled ? "HA is on (\(keys)): \(whenOn)" : "HA is off."))
    }
}
