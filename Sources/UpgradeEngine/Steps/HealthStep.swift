import Foundation
import OMSDeployment

/// Waits until the new OMS answers healthy on `/oms/health` and logs `OMS service start successfully`.
struct HealthStep: RunStep {
    let id = StepID.health

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        let name = try context.newName
        guard let url = context.plan.newConsoleURL.flatMap(URL.init(string:)) else {
            throw EngineError.invalidState("the plan has no console URL for the new container")
        }
        try await HealthWait.wait(context, container: name, console: url, timeout: context.plan.options.healthTimeout)
        return ["healthURL": HealthProbe.healthURL(console: url).absoluteString]
    }
}

/// Waits until the old OMS is healthy again after a rollback.
struct RollbackHealthStep: RunStep {
    let id = StepID.rollbackHealth

    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] {
        guard let url = context.plan.consoleURL.flatMap(URL.init(string:)) else { return [:] }
        try await HealthWait.wait(
            context, container: context.oldName, console: url, timeout: context.plan.options.healthTimeout)
        return ["healthURL": HealthProbe.healthURL(console: url).absoluteString]
    }
}

/// Polls a console's health often (downtime is counted in these seconds), reporting what it sees.
enum HealthWait {
    static func wait(_ context: RunContext, container: String, console: URL, timeout: Int) async throws {
        context.say(
            "Waiting up to \(timeout)s for \(container) to report healthy at \(HealthProbe.healthURL(console: console))..."
        )
        let log = context.log
        let task = context.reporter.task("wait for \(container) to be healthy", total: Int64(timeout), unit: .seconds)
        let started = Date()
        do {
            try await HealthProbe(requestTimeout: .seconds(2)).waitUntilHealthy(
                url: console, engine: context.engine, container: container, timeout: .seconds(timeout),
                interval: .milliseconds(250)
            ) { status, line in
                log.write("health \(container): \(status); last log line: \(line ?? "-")")
                task.update(completed: Int64(Date().timeIntervalSince(started)), note: "(\(status))")
            }
        } catch {
            task.finish("gave up")
            throw error
        }
        task.finish()
        context.say("\(container) is healthy.")
    }
}
