import Containers

/// Stops the old container gracefully; the service's downtime starts here.
struct StopOldStep: RunStep {
    let id = StepID.stopOld

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let details = try await context.engine.inspectContainer(context.oldName)
        if let plannedID = context.plan.oldContainer?.id, details.id != plannedID {
            throw EngineError.invalidState(
                "the container named \(context.oldName) is not the one planned (id \(details.id.prefix(12)), planned \(plannedID.prefix(12))); run `oms-upgrade plan` again"
            )
        }
        if details.state.running {
            context.say("Stopping \(context.oldName) (up to \(context.plan.options.stopTimeout)s)...")
            try await context.engine.stop(context.oldName, timeoutSeconds: context.plan.options.stopTimeout)
        }
        return ["oldContainerID": details.id]
    }
}
