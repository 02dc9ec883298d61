import Containers

/// Starts the new container on every node at once from the plan's spec, renaming the old one aside
/// first when it must give up its name.
struct StartNewStep: RunStep {
    let id = StepID.startNew

    /// The label that marks a container as created by a run, so that a resumed step can recognise it.
    static let runLabel = "io.oms-upgrade.run"

    /// The refusal when a container this run did not create holds the new container's name.
    static func nameTakenError(_ node: RunNode, name: String) -> EngineError {
        .invalidState(
            "\(node.prefix)a container named \(name) already exists and was not created by this run; rename or remove it, or pass --name with another name"
        )
    }

    func perform(_ context: RunContext, journal state: JournalState) async throws -> StartNewResult {
        let created = state.record(.stopOld).result(StopOldResult.self)?.nodes
        return try await NodeFanOut.run(context.nodes, recording: context.nodeRecorder(id)) { node in
            if let id = created?[node.ip ?? ""]?.newContainerID, try await startCreated(id, node, context) {
                return StartNewNode(newContainerID: id, oldRenamedTo: nil)
            }
            return try await start(node, context)
        }
    }

    /// Starts the container stop-old created (the usual path: one `docker start`, a no-op when it runs
    /// already); false when it is gone, for ``start(_:_:)`` to look again.
    private func startCreated(_ id: String, _ node: RunNode, _ context: RunContext) async throws -> Bool {
        do {
            context.say("\(node.prefix)Starting \(node.newName), created while the old container stopped...")
            try await node.engine.start(id)
            return true
        } catch let error as ContainerEngineError where error.kind == .notFound {
            return false
        }
    }

    private func start(_ node: RunNode, _ context: RunContext) async throws -> StartNewNode {
        var spec = node.newContainer
        spec.labels[Self.runLabel] = context.directory.runID
        if let aside = node.renameOldTo { try await renameOldAside(node, context, to: aside) }
        if let existing = try await NewContainerCreation.holder(of: spec.name, on: node.engine) {
            guard existing.labels[Self.runLabel] == context.directory.runID else {
                throw Self.nameTakenError(node, name: spec.name)
            }
            if !existing.state.running { try await node.engine.start(spec.name) }
            return StartNewNode(newContainerID: existing.id, oldRenamedTo: node.renameOldTo)
        }
        spec.env = try await SecretEnvironment.fill(spec.env, node: node)
        context.say("\(node.prefix)Starting \(spec.name) from \(spec.image)...")
        return StartNewNode(newContainerID: try await node.engine.run(spec), oldRenamedTo: node.renameOldTo)
    }

    private func renameOldAside(_ node: RunNode, _ context: RunContext, to aside: String) async throws {
        if try await node.engine.containerExists(aside) { return }
        let current = try await node.engine.inspectContainer(node.oldName)
        guard current.id == node.oldContainerID else {
            throw EngineError.invalidState(
                "\(node.prefix)\(node.oldName) is no longer the planned old container and \(aside) does not exist; inspect the containers by hand"
            )
        }
        try await node.engine.rename(node.oldName, to: aside)
        context.say("\(node.prefix)Renamed the old container \(node.oldName) to \(aside) (kept, never removed).")
    }
}

extension StartNewStep {
    var summary: String { "Start the new OMS container on the same mounts" }

    var multiNodeSummary: String { "Start the new image on every node, each with its own OMS_HOST_IP" }

    var phase: StepPhase { .outage }

    /// The new container's `docker run`.
    func manualCommands(_ manual: ManualCommands, node: ManualCommands.Node) -> [String] {
        [node.newContainer.shellCommand()]
    }
}
