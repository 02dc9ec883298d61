import Containers

/// Gives the old container back its name on every node (moving the failed new one aside) and starts it.
struct RollbackContainersStep: RunStep {
    let id = StepID.rollbackContainers

    /// The name a failed new container is moved to when it holds the old container's name.
    static func failedName(_ node: RunNode, _ context: RunContext) -> String {
        "\(node.newName)_failed_\(context.directory.runID.prefix(15))"
    }

    func perform(_ context: RunContext, journal state: JournalState) async throws -> RollbackContainersResult {
        try await NodeFanOut.runForRollback(context, recording: context.nodeRecorder(id)) { node in
            try await restore(node, context)
        }
    }

    private func restore(_ node: RunNode, _ context: RunContext) async throws -> RollbackContainersNode {
        let engine = node.engine
        var renamedTo: String?
        if let aside = node.renameOldTo, try await engine.containerExists(aside) {
            if let new = try await NewContainerLookup.find(node, context), new.name == node.oldName {
                let failed = Self.failedName(node, context)
                try await engine.rename(new.id, to: failed)
                renamedTo = failed
                context.say("\(node.prefix)Renamed the failed new container to \(failed) (kept for inspection).")
            }
            try await engine.rename(aside, to: node.oldName)
            context.say("\(node.prefix)Gave the old container its name \(node.oldName) back.")
        }
        guard try await engine.containerExists(node.oldName) else {
            throw EngineError.rollbackBlocked(
                "\(node.prefix)the old container \(node.oldName) no longer exists, so it cannot be restarted. The metadata is back to its pre-upgrade state; recreate the old container with:\n\(recreateCommand(node))"
            )
        }
        let old = try await engine.inspectContainer(node.oldName)
        let plannedID = node.oldContainerID
        if old.id != plannedID {
            throw EngineError.rollbackBlocked(
                "\(node.prefix)the container now named \(node.oldName) (id \(old.id.prefix(12))) is not the old OMS container (id \(plannedID.prefix(12))); rename it and run `oms-upgrade rollback` again"
            )
        }
        if !old.state.running {
            context.say("\(node.prefix)Starting the old container \(node.oldName)...")
            try await engine.start(node.oldName)
        }
        return RollbackContainersNode(oldContainerID: old.id, newRenamedTo: renamedTo)
    }

    private func recreateCommand(_ node: RunNode) -> String {
        node.oldContainerSpec.shellCommand()
    }
}

extension RollbackContainersStep {
    var summary: String { "Give the old container its name back and start it" }

    var multiNodeSummary: String { "Give every node's old container its name back and start it" }

    var phase: StepPhase { .rollback }
}
