import Foundation
import OMSDeployment
import Synchronization

/// Waits until the new OMS answers healthy on `/oms/health` and logs `OMS service start successfully`, on every node.
struct HealthStep: RunStep {
    let id = StepID.health

    func perform(_ context: RunContext, journal state: JournalState) async throws -> HealthResult {
        let timeout = context.plan.options.healthTimeout
        return try await NodeFanOut.run(context.nodes, recording: context.nodeRecorder(id)) { node in
            let name = node.newName
            guard let url = URL(string: node.newConsoleURL) else {
                throw EngineError.invalidState(
                    "\(node.prefix)the plan's console URL for the new container is not a URL: \(node.newConsoleURL)")
            }
            let saidStarted = try await HealthWait.wait(
                context, node: node, container: name, console: url, timeout: timeout)
            return HealthNode(
                healthURL: HealthProbe.healthURL(console: url).absoluteString,
                saidStartedAt: saidStarted.map(HealthNode.format))
        }
    }
}

/// Waits until the old OMS is healthy again after a rollback, on every node.
struct RollbackHealthStep: RunStep {
    let id = StepID.rollbackHealth

    func perform(_ context: RunContext, journal state: JournalState) async throws -> RollbackHealthResult {
        let timeout = context.plan.options.healthTimeout
        return try await NodeFanOut.runForRollback(context, recording: context.nodeRecorder(.rollbackHealth)) { node in
            guard let url = URL(string: node.consoleURL) else { return HealthNode(healthURL: nil) }
            let saidStarted = try await HealthWait.wait(
                context, node: node, container: node.oldName, console: url, timeout: timeout)
            return HealthNode(
                healthURL: HealthProbe.healthURL(console: url).absoluteString,
                saidStartedAt: saidStarted.map(HealthNode.format))
        }
    }
}

/// Polls a console's health often (downtime is counted in these seconds), reporting what it sees.
enum HealthWait {
    /// The pause between two looks: the outage ends at most this much before the probe sees it.
    static let probeInterval = Duration.milliseconds(100)

    /// Returns when the container wrote its started line, by the engine's clock, where it tells.
    static func wait(_ context: RunContext, node: RunNode, container: String, console: URL, timeout: Int)
        async throws -> Date?
    {
        context.say(
            "\(node.prefix)Waiting up to \(timeout)s for \(container) to report healthy at \(HealthProbe.healthURL(console: console))..."
        )
        let log = context.log
        let onNode = node.ip.map { " on \($0)" } ?? ""
        let task = context.reporter.task(
            "wait for \(container)\(onNode) to be healthy", total: Int64(timeout), unit: .seconds)
        let started = Date()
        let saidStarted: Date?
        let lastSeen = Mutex<String?>(nil)
        do {
            saidStarted = try await HealthProbe(requestTimeout: .seconds(2)).waitUntilHealthy(
                url: console, engine: node.engine, container: container, timeout: .seconds(timeout),
                interval: probeInterval
            ) { status, line in
                // Every few tenths of a second: the log gets a line when what was seen changes.
                let seen = "\(status); last log line: \(line ?? "-")"
                let changed = lastSeen.withLock { last in
                    defer { last = seen }
                    return last != seen
                }
                if changed { log.write("health \(container)\(onNode): \(seen)") }
                task.update(completed: Int64(Date().timeIntervalSince(started)), note: "(\(status))")
            }
        } catch {
            task.finish("gave up")
            throw error
        }
        task.finish()
        context.say("\(node.prefix)\(container) is healthy.")
        return saidStarted
    }
}

extension HealthStep {
    var summary: String { "Wait until the new OMS reports healthy" }

    var multiNodeSummary: String { "Wait until every node reports healthy" }

    var phase: StepPhase { .outage }

    /// Polls the new console's health URL, then shows the container's last log line.
    func manualCommands(_ manual: ManualCommands, node: ManualCommands.Node) -> [String] {
        let url = node.consoleURL + "/oms/health"
        return [
            "until curl -fsSk \(ManualCommands.shellQuote(url)) | grep -q '\"healthy\":true'; do sleep 5; done",
            "docker logs --tail 1 \(ManualCommands.shellQuote(node.newContainer.name))",
        ]
    }
}

extension RollbackHealthStep {
    var summary: String { "Wait until the old OMS reports healthy" }

    var multiNodeSummary: String { "Wait until every node's old OMS reports healthy" }

    var phase: StepPhase { .rollback }
}
