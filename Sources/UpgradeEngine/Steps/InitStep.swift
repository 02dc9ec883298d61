import Containers
import OMSDeployment

/// Runs `bash /root/docker_init.sh` in the new container, streaming its output, with a timeout.
///
/// Nothing says the init script is idempotent, and a `docker exec` whose client died goes on
/// inside the container. So a re-entered init starts from a known state: stop the new container
/// (which ends an orphaned script), put the pre-upgrade metadata back from the snapshot, take
/// the snapshot again, start the container, and only then run init again.
struct InitStep: RunStep {
    let id = StepID.initSchema

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let name = try context.newName
        if state.record(.initSchema).attempts > 0 {
            context.say(
                "An earlier init was interrupted: stopping \(name), putting the pre-upgrade metadata back, then running init again."
            )
            try await context.engine.stop(name, timeoutSeconds: 30)
            try await SnapshotOperations.restoreAndRetake(context, state: state)
            try await context.engine.start(name)
        } else if try await !context.engine.inspectContainer(name).state.running {
            try await context.engine.start(name)
        }
        let log = context.log
        let reporter = context.reporter
        let exitCode = try await context.engine.exec(
            name, command: ["bash", OMSContainerPaths.initScript], timeoutSeconds: context.plan.options.initTimeout
        ) { line in
            log.write("init| \(line)")
            FaultInjection.reach("init.mid")
            reporter.message("  init| \(line)")
        }
        guard exitCode == 0 else {
            throw EngineError.stepFailed(
                id,
                "bash \(OMSContainerPaths.initScript) in \(name) exited with status \(exitCode); its output is in \(context.directory.logURL.path) and /home/admin/logs/docker_init.log.* on the logs mount"
            )
        }
        return ["initExitCode": "0"]
    }
}
