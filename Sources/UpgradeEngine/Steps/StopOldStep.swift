import Containers

/// Stops the old container on every node at once, gracefully, and creates the new one meanwhile; the
/// service's downtime starts here.
struct StopOldStep: RunStep {
    let id = StepID.stopOld

    /// The outage is about to begin: estimate it from what the online copy measured.
    func beforeFirstAttempt(_ context: RunContext) async {
        await OutageEstimator.beforeStop(context)
    }

    func perform(_ context: RunContext, journal state: JournalState) async throws -> StopOldResult {
        let timeout = context.plan.options.stopTimeout
        return try await NodeFanOut.run(context.nodes, recording: context.nodeRecorder(id)) { node in
            async let holder = NewContainerCreation.holder(for: node)
            let details = try await node.engine.inspectContainer(node.oldName)
            let plannedID = node.oldContainerID
            if details.id != plannedID {
                throw EngineError.invalidState(
                    "the container named \(node.oldName) is not the one planned (id \(details.id.prefix(12)), planned \(plannedID.prefix(12))); run `oms-upgrade plan` again"
                )
            }
            let creation = try NewContainerCreation.plan(node, context, old: details, holder: try await holder)
            // The create runs while the old container stops; the step waits for both whatever either does.
            async let created = NewContainerCreation.carryOut(creation, node, context)
            var stopError: (any Error)?
            if details.state.running {
                context.say("\(node.prefix)Stopping \(node.oldName) (up to \(timeout)s)...")
                do { try await node.engine.stop(node.oldName, timeoutSeconds: timeout) } catch { stopError = error }
            }
            let newID: String?
            do { newID = try await created } catch { throw stopError ?? error }
            if let stopError { throw stopError }
            FaultInjection.reach("stop-old.mid", context.interruption)
            return StopOldNode(oldContainerID: details.id, newContainerID: newID)
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
