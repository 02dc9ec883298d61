import ArgumentParser
import MetaDump
import UpgradeEngine

/// `oms-upgrade apply`: plans, checks, then carries the upgrade out, rolling back on failure.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract:
            "Upgrade an OMS deployment end to end: preflight, online snapshot, stop, catch-up, new container, init, health, backup.",
        discussion:
            "Nothing is changed when a preflight check fails. A failed step rolls back automatically unless --no-auto-rollback."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var upgrade: PlanOptionGroup
    @OptionGroup var multiNode: NodeOptionGroup

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    @Flag(help: "Leave a failed upgrade where it stopped instead of rolling back (then: resume or rollback).")
    var noAutoRollback = false

    @Option(help: "Seconds a step waits for an unreachable metadata server before it fails (default 180).")
    var metaRetryTimeout: Int?

    /// Seconds between the background lock checks (tests shorten it; capped at a third of the lease).
    @Option(help: .hidden)
    var lockCheckSeconds: Double?

    func validate() throws {
        try multiNode.validate(with: upgrade)
        if let metaRetryTimeout, metaRetryTimeout < 0 {
            throw ValidationError("--meta-retry-timeout must be 0 or more seconds, not \(metaRetryTimeout).")
        }
    }

    @Flag(help: "Print the run's summary as one JSON document.")
    var json = false

    func run() async throws {
        let logger = global.makeLogger()
        let engine = global.makeEngine(logger: logger)
        let reporter = global.makeReporter()
        let plan: UpgradePlan
        if multiNode.isMultiNode {
            let built = await Planner(engine: engine, logger: logger)
                .buildForApply(try multiNode.planOptions(upgrade), runOptions: upgrade.planOptions())
            guard let upgradePlan = built.upgrade else {
                FileHandleOutput.standardError(built.plan.renderText())
                throw EngineError.preflightFailed(built.plan.failures.map(\.sentence))
            }
            reporter.message(built.plan.renderText())
            plan = upgradePlan
        } else {
            let report = await Planner(engine: engine, logger: logger).build(upgrade.planOptions())
            guard let ready = report.plan else {
                FileHandleOutput.standardError(report.renderText())
                throw EngineError.preflightFailed(report.failures.map(\.sentence))
            }
            reporter.message(report.renderText())
            plan = ready
        }
        let scope = plan.isMultiNode ? " on all \(plan.nodes.count) nodes" : ""
        try Confirmation.require(
            yes: yes,
            question:
                "Upgrade \(upgrade.container) to \(upgrade.image)\(scope) now? OMS will be down until the new container\(scope.isEmpty ? " is" : "s are") healthy."
        )
        let summary = try await UpgradeSession.apply(
            plan: plan, engine: engine, reporter: reporter,
            logger: logger, autoRollback: !noAutoRollback,
            settings: .command(metaRetryTimeout: metaRetryTimeout, lockCheckSeconds: lockCheckSeconds))
        try SummaryOutput.print(summary, json: json)
    }
}
