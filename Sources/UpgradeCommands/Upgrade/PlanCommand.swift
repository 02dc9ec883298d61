import ArgumentParser
import OMSDeployment
import UpgradeEngine

/// `oms-upgrade plan`: reads the live deployment and prints the whole upgrade, changing nothing.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Check a live OMS deployment and print the complete upgrade plan; changes nothing.",
        discussion: "Exit status: 0 when every check passes, 1 when any fails, 2 on usage errors.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var upgrade: PlanOptionGroup

    @Flag(help: "Print the plan as one JSON document.")
    var json = false

    @OptionGroup var multiNode: NodeOptionGroup

    func validate() throws {
        try multiNode.validate(with: upgrade)
    }

    func run() async throws {
        if multiNode.isMultiNode { return try await runMultiNode() }
        let logger = global.makeLogger()
        let report = await Planner(engine: global.makeEngine(logger: logger), logger: logger)
            .build(upgrade.planOptions())
        if json {
            try FileHandleOutput.json(report)
        } else {
            FileHandleOutput.standardOutput(report.renderText())
        }
        if !report.isReady {
            for failure in report.failures { FileHandleOutput.standardError("error: \(failure.sentence)") }
            throw ExitCode(1)
        }
    }

    /// `plan --node ...`: the multi-node plan across every node's engine.
    private func runMultiNode() async throws {
        let logger = global.makeLogger()
        let plan = await Planner(engine: global.makeEngine(logger: logger), logger: logger)
            .build(try multiNode.planOptions(upgrade), runOptions: upgrade.planOptions())
        if json {
            try FileHandleOutput.json(plan)
        } else {
            FileHandleOutput.standardOutput(plan.renderText())
        }
        if !plan.isReady {
            for failure in plan.failures { FileHandleOutput.standardError("error: \(failure.sentence)") }
            throw ExitCode(1)
        }
    }
}
