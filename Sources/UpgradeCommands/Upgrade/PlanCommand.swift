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

    @Option(
        name: .customLong("node"),
        help: ArgumentHelp(
            "A node of a multi-node deployment and its Docker endpoint, repeated for every node.",
            discussion: "IP=ENDPOINT, ENDPOINT being unix://..., ssh://..., tcp://... or a docker"
                + " context name; without --node the deployment is the one container on"
                + " -H/--context.",
            valueName: "IP=ENDPOINT"))
    var nodes: [String] = []

    func validate() throws {
        guard !nodes.isEmpty else { return }
        _ = try parsedNodes()
        if upgrade.hostIP != nil {
            throw ValidationError(
                "--host-ip does not go with --node: each node's OMS_HOST_IP is its IP in --node IP=ENDPOINT.")
        }
        if upgrade.sslCert != nil || upgrade.sslKey != nil {
            throw ValidationError("--ssl-cert/--ssl-key do not go with --node yet: each node keeps its console setup.")
        }
    }

    func run() async throws {
        if !nodes.isEmpty { return try await runMultiNode() }
        let logger = global.makeLogger()
        let plan = await PlanBuilder(engine: global.makeEngine(logger: logger), logger: logger)
            .build(upgrade.planOptions())
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

    /// `--node` values parsed; each IP once.
    func parsedNodes() throws -> [NodeEndpoint] {
        var seen: Set<String> = []
        return try nodes.map { text in
            let node: NodeEndpoint
            do { node = try NodeEndpoint(parsing: text) } catch { throw ValidationError("\(error)") }
            guard seen.insert(node.ip).inserted else {
                throw ValidationError("\(NodeEndpointError(argument: text, problem: .duplicateIP(node.ip)))")
            }
            return node
        }
    }

    /// `plan --node ...`: the multi-node plan across every node's engine.
    private func runMultiNode() async throws {
        let options = MultiNodePlanOptions(
            container: upgrade.container, image: upgrade.image, newName: upgrade.name, nodes: try parsedNodes(),
            fromVersion: upgrade.fromVersion, toVersion: upgrade.toVersion)
        let plan = await MultiNodePlanBuilder(logger: global.makeLogger()).build(options)
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
