import Containers

/// Starts the new container from the plan's spec, renaming the old one aside first when it must give up its name.
struct StartNewStep: RunStep {
    let id = StepID.startNew

    /// The label that marks a container as created by a run, so that a resumed step can recognise it.
    static let runLabel = "io.oms-upgrade.run"

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        guard var spec = context.plan.newContainer else {
            throw EngineError.invalidState("the plan has no new container spec; run `oms-upgrade plan` to see why")
        }
        spec.labels[Self.runLabel] = context.directory.runID
        var facts: [String: String] = [:]
        if let aside = context.plan.renameOldTo {
            try await renameOldAside(context, to: aside)
            facts["oldRenamedTo"] = aside
        }
        if try await context.engine.containerExists(spec.name) {
            let existing = try await context.engine.inspectContainer(spec.name)
            guard existing.labels[Self.runLabel] == context.directory.runID else {
                throw EngineError.invalidState(
                    "a container named \(spec.name) already exists and was not created by this run; rename or remove it, or pass --name with another name"
                )
            }
            if !existing.state.running { try await context.engine.start(spec.name) }
            facts["newContainerID"] = existing.id
            return facts
        }
        spec.env = try await SecretEnvironment.fill(spec.env, context)
        context.say("Starting \(spec.name) from \(spec.image)...")
        facts["newContainerID"] = try await context.engine.run(spec)
        return facts
    }

    private func renameOldAside(_ context: RunContext, to aside: String) async throws {
        if try await context.engine.containerExists(aside) { return }
        let current = try await context.engine.inspectContainer(context.oldName)
        guard current.id == context.plan.oldContainer?.id else {
            throw EngineError.invalidState(
                "\(context.oldName) is no longer the planned old container and \(aside) does not exist; inspect the containers by hand"
            )
        }
        try await context.engine.rename(context.oldName, to: aside)
        context.say("Renamed the old container \(context.oldName) to \(aside) (kept, never removed).")
    }
}
