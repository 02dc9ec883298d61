import Containers

/// Stops the old container on every node at once, gracefully; the service's downtime starts here.
struct StopOldStep: RunStep {
    let id = StepID.stopOld

    /// The outage is about to begin: estimate it from what the online copy measured.
    func beforeFirstAttempt(_ context: RunContext) async {
        await OutageEstimator.beforeStop(context)
    }

    func perform(_ context: RunContext, journal state: JournalState) async throws -> StopOldResult {
        let timeout = context.plan.options.stopTimeout
        return try await NodeFanOut.run(context.nodes, recording: context.nodeRecorder(id)) { node in
            let details = try await node.engine.inspectContainer(node.oldName)
            let plannedID = node.oldContainerID
            if details.id != plannedID {
                throw EngineError.invalidState(
                    "the container named \(node.oldName) is not the one planned (id \(details.id.prefix(12)), planned \(plannedID.prefix(12))); run `oms-upgrade plan` again"
                )
            }
            if details.state.running {
                context.say("\(node.prefix)Stopping \(node.oldName) (up to \(timeout)s)...")
                try await node.engine.stop(node.oldName, timeoutSeconds: timeout)
            }
            return StopOldNode(oldContainerID: details.id)
        }
    }
}

extension StopOldStep {
    var summary: String { "Stop the old OMS container" }

    var multiNodeSummary: String { "Stop the OMS container on every node, in parallel" }

    var phase: StepPhase { .outage }

    /// `docker stop` with the plan's timeout.
    func manualCommands(_ manual: ManualCommands, node: ManualCommands.Node) -> [String] {
        ["docker stop --time \(node.stopTimeout) \(ManualCommands.shellQuote(node.oldContainer))"]
    }
}
