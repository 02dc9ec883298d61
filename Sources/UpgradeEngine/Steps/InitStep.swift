import Containers
import OMSDeployment

/// Runs `bash /root/docker_init.sh` in the new container on the nodes the init rule names, one
/// after the other (the default region first), streaming its output, with a timeout.
///
/// Nothing says the init script is idempotent, and a `docker exec` whose client died goes on
/// inside the container. So a re-entered init starts from a known state: stop the new container
/// on every node (which ends an orphaned script), put the pre-upgrade metadata back from the
/// snapshot, take the snapshot again, start the containers, and only then run init again.
struct InitStep: RunStep {
    let id = StepID.initSchema

    func perform(_ context: RunContext, journal state: JournalState) async throws -> InitResult {
        if state.record(.initSchema).attempts > 0 {
            context.say(
                "An earlier init was interrupted: stopping the new container\(context.isMultiNode ? "s" : ""), putting the pre-upgrade metadata back, then running init again."
            )
            _ = try await NodeFanOut.run(context.nodes) { node in
                try await node.engine.stop(node.newName, timeoutSeconds: 30)
                return NoNodeResult()
            }
            try await SnapshotOperations.restoreAndRetake(context, state: state)
            _ = try await NodeFanOut.run(context.nodes) { node in
                try await node.engine.start(node.newName)
                return NoNodeResult()
            }
        } else {
            _ = try await NodeFanOut.run(context.nodes) { node in
                let name = node.newName
                if try await !node.engine.inspectContainer(name).state.running { try await node.engine.start(name) }
                return NoNodeResult()
            }
        }
        let initNodes = context.nodes.filter(\.runsInit)
        let recorder = context.nodeRecorder(id)
        for node in initNodes {
            recorder.record(.nodeStarted, node: node.ip)
            do {
                try await runInit(on: node, context)
            } catch {
                recorder.record(.nodeFailed, node: node.ip, message: "\(error)")
                throw error
            }
            recorder.record(.nodeCompleted, node: node.ip)
        }
        return InitResult(exitCode: 0, nodes: context.isMultiNode ? initNodes.compactMap(\.ip) : [])
    }

    private func runInit(on node: RunNode, _ context: RunContext) async throws {
        let name = node.newName
        let log = context.log
        let reporter = context.reporter
        let interruption = context.interruption
        let tag = node.ip.map { "init \($0)|" } ?? "init|"
        if let ip = node.ip { context.say("Running \(OMSContainerPaths.initScript) on node \(ip)...") }
        let exitCode = try await node.engine.exec(
            name, command: ["bash", OMSContainerPaths.initScript], timeoutSeconds: context.plan.options.initTimeout
        ) { line in
            log.write("\(tag) \(line)")
            FaultInjection.reach("init.mid", interruption)
            reporter.message("  \(tag) \(line)")
        }
        guard exitCode == 0 else {
            throw EngineError.stepFailed(
                id,
                "\(node.prefix)bash \(OMSContainerPaths.initScript) in \(name) exited with status \(exitCode); its output is in \(context.directory.logURL.path) and /home/admin/logs/docker_init.log.* on the logs mount"
            )
        }
    }
}

extension InitStep {
    var summary: String { "Run the metadata init script (bash /root/docker_init.sh) in the new container" }

    var multiNodeSummary: String { "Run the metadata init script (bash /root/docker_init.sh) where the init rule says" }

    var phase: StepPhase { .outage }

    /// The init script, run in the new container.
    func manualCommands(_ manual: ManualCommands, node: ManualCommands.Node) -> [String] {
        [
            "docker exec \(ManualCommands.shellQuote(node.newContainer.name)) bash \(OMSContainerPaths.initScript)"
        ]
    }
}
