import Containers

/// Gives the old container back its name (moving the failed new one aside) and starts it.
struct RollbackContainersStep: RunStep {
    let id = StepID.rollbackContainers

    /// The name a failed new container is moved to when it holds the old container's name.
    static func failedName(_ context: RunContext) -> String {
        "\(context.plan.newContainerName ?? context.oldName)_failed_\(context.directory.runID.prefix(15))"
    }

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let engine = context.engine
        var facts: [String: String] = [:]
        if let aside = context.plan.renameOldTo, try await engine.containerExists(aside) {
            if let new = try await NewContainerLookup.find(context), new.name == context.oldName {
                let failed = Self.failedName(context)
                try await engine.rename(new.id, to: failed)
                facts["newRenamedTo"] = failed
                context.say("Renamed the failed new container to \(failed) (kept for inspection).")
            }
            try await engine.rename(aside, to: context.oldName)
            context.say("Gave the old container its name \(context.oldName) back.")
        }
        guard try await engine.containerExists(context.oldName) else {
            throw EngineError.rollbackBlocked(
                "the old container \(context.oldName) no longer exists, so it cannot be restarted. The metadata is back to its pre-upgrade state; recreate the old container with:\n\(recreateCommand(context))"
            )
        }
        let old = try await engine.inspectContainer(context.oldName)
        if let plannedID = context.plan.oldContainer?.id, old.id != plannedID {
            throw EngineError.rollbackBlocked(
                "the container now named \(context.oldName) (id \(old.id.prefix(12))) is not the old OMS container (id \(plannedID.prefix(12))); rename it and run `oms-upgrade rollback` again"
            )
        }
        if !old.state.running {
            context.say("Starting the old container \(context.oldName)...")
            try await engine.start(context.oldName)
        }
        facts["oldContainerID"] = old.id
        return facts
    }

    private func recreateCommand(_ context: RunContext) -> String {
        context.plan.oldContainerSpec?.shellCommand() ?? "(the plan did not record the old container's settings)"
    }
}
