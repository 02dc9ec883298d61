import ArgumentParser
import Containers
import MetaDump
import OMSDeployment
import UpgradeEngine

/// `oms-upgrade prune-heartbeat`: keeps only the newest row of the CM heartbeat table.
struct PruneHeartbeatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune-heartbeat",
        abstract: "Prune heatbeat_sequence to its newest row, without one unbounded DELETE.",
        discussion: """
            swap (default): new table with the newest row, one atomic RENAME TABLE; time independent of the table's size. \
            batched: bounded DELETEs by primary-key range, for servers that refuse the swap. \
            online: bounded DELETEs below the current maximum, safe while OMS runs. \
            swap and batched are for a stopped OMS: with --container, a running container is refused.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: DeploymentTarget

    @Option(help: "swap, batched or online.")
    var strategy: PruneStrategy = .swap

    func run() async throws {
        let logger = global.makeLogger()
        let engine = global.makeEngine(logger: logger)
        let config: OMSConfig
        if let container = target.container {
            let deployment = try await Deployment.discover(container: container, engine: engine)
            if deployment.container.state.running, strategy != .online {
                throw DataCommandError.containerRunning(container)
            }
            config = deployment.config
        } else {
            config = try await target.loadConfig(engine: engine)
        }
        let pruner = HeartbeatPruner(
            server: config.metaConnection(), database: config.databases.cmHeartbeat,
            progress: global.makeReporter())
        let result =
            strategy == .online
            ? try await pruner.prePruneOnline()
            : try await pruner.prune(strategy: strategy)
        FileHandleOutput.standardOutput(
            String(
                format: "%@.%@: %lld rows deleted, %lld left (%@, %.2fs)%@",
                result.database, result.table, result.rowsDeleted, result.rowsAfter, result.strategy.rawValue,
                result.durationSeconds,
                result.keptID.map { "; kept id \($0), next id \(result.nextAutoIncrement ?? $0 + 1)" } ?? ""))
    }
}

extension PruneStrategy: ExpressibleByArgument {}
