import Containers

/// Stops the new container, if this run created one, which also ends an orphaned init script in it.
struct RollbackStopNewStep: RunStep {
    let id = StepID.rollbackStopNew

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        guard let container = try await NewContainerLookup.find(context) else { return ["newContainer": "none"] }
        if container.state.running {
            context.say("Stopping the new container \(container.name)...")
            try await context.engine.stop(container.id, timeoutSeconds: 30)
        }
        return ["newContainerID": container.id]
    }
}

/// Finds the container this run created, by its run label, whatever its name is now.
enum NewContainerLookup {
    static func find(_ context: RunContext) async throws -> ContainerDetails? {
        var candidates: [String] = []
        if let name = context.plan.newContainerName { candidates.append(name) }
        candidates.append(RollbackContainersStep.failedName(context))
        for name in candidates where try await context.engine.containerExists(name) {
            let details = try await context.engine.inspectContainer(name)
            if details.labels[StartNewStep.runLabel] == context.directory.runID { return details }
        }
        return nil
    }
}
