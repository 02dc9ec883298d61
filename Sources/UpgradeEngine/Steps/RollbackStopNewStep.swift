import Containers

/// Stops the new container on every node, where this run created one, which also ends an orphaned init script in it.
struct RollbackStopNewStep: RunStep {
    let id = StepID.rollbackStopNew

    func perform(_ context: RunContext, journal state: JournalState) async throws -> RollbackStopNewResult {
        try await NodeFanOut.runForRollback(context, recording: context.nodeRecorder(id)) { node in
            guard let container = try await NewContainerLookup.find(node, context) else {
                return RollbackStopNewNode(newContainerID: nil)
            }
            if container.state.running {
                context.say("\(node.prefix)Stopping the new container \(container.name)...")
                try await node.engine.stop(container.id, timeoutSeconds: 30)
            }
            return RollbackStopNewNode(newContainerID: container.id)
        }
    }
}

/// Finds the container this run created on a node, by its run label, whatever its name is now.
enum NewContainerLookup {
    static func find(_ node: RunNode, _ context: RunContext) async throws -> ContainerDetails? {
        let candidates = [node.newName, RollbackContainersStep.failedName(node, context)]
        for name in candidates where try await node.engine.containerExists(name) {
            let details = try await node.engine.inspectContainer(name)
            if details.labels[StartNewStep.runLabel] == context.directory.runID { return details }
        }
        return nil
    }
}

extension RollbackStopNewStep {
    var summary: String { "Stop the new OMS container" }

    var multiNodeSummary: String { "Stop the new OMS container on every node" }

    var phase: StepPhase { .rollback }
}
