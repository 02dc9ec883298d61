import ArgumentParser

/// The root of the command tree: `oms-upgrade <subcommand>`.
public struct OMSUpgradeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "oms-upgrade",
        abstract: "Upgrade and roll back OceanBase Migration Service (OMS) Community Edition deployments safely.",
        discussion: """
            Plans before it touches anything, backs up and snapshots the metadata databases, \
            journals every step so an interrupted run resumes, and rolls back in seconds.
            """,
        version: BuildInfo.versionLine,
        subcommands: [
            PlanCommand.self, ApplyCommand.self, StatusCommand.self, ResumeCommand.self, RollbackCommand.self,
            CleanupCommand.self,
            ReportCommand.self,
            PruneHeartbeatCommand.self, BackupCommand.self, VerifyCommand.self, RestoreCommand.self,
        ]
    )

    public init() {}
}
