/// Why a data command (backup, verify, restore, prune-heartbeat) stopped, as one sentence with its remedy.
///
/// Errors of the work itself (``MetaDump/MetaDumpError``, ``OMSDeployment/DeploymentError``) pass
/// through as they are; this type holds what the commands decide themselves.
enum DataCommandError: Error, Sendable, CustomStringConvertible {
    /// The backup was written but its files do not match its manifest.
    case backupDoesNotVerify(directory: String, problems: [String])
    /// The container still runs, so a stopped-container prune would race its heartbeats.
    case containerRunning(String)

    var description: String {
        switch self {
        case .backupDoesNotVerify(let directory, let problems):
            "The backup in \(directory) was written but does not verify: \(problems.joined(separator: "; ")). "
                + "Do not rely on it: remove the directory and run `oms-upgrade backup` again."
        case .containerRunning(let container):
            "\(container) is running and keeps writing heartbeats; stop it first (`docker stop \(container)`), "
                + "or use --strategy online."
        }
    }
}
