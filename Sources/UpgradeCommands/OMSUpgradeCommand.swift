import ArgumentParser

/// The root of the command tree: `oms-upgrade <subcommand>`.
public struct OMSUpgradeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "oms-upgrade",
        // One line, so that USAGE is the third line of `--help`: what a reader looks for first.
        abstract: "Upgrade and roll back OceanBase Migration Service (OMS) deployments.",
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
