import Containers
import Foundation

extension HealthProbe {
    /// Waits until the console reports itself healthy AND the container's last log line is
    /// `OMS service start successfully`; throws ``HealthWaitError`` when `timeout` passes or the
    /// container stops first.
    ///
    /// Each round sends the HTTP probe and reads the log tail at once, and every
    /// ``inspectEveryRounds``-th round (the first included) inspects the container at once with them,
    /// to notice that it stopped: one or two docker calls per round, whatever the interval.
    ///
    /// - Parameter onAttempt: called after each look with what was seen (for progress output).
    /// - Returns: when the engine says the container wrote its started line, where it can tell.
    @discardableResult
    public func waitUntilHealthy(
        url console: URL,
        engine: any ContainerEngine,
        container: String,
        timeout: Duration,
        interval: Duration = .seconds(3),
        onAttempt: (@Sendable (HealthStatus, String?) -> Void)? = nil
    ) async throws -> Date? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        let healthURL = Self.healthURL(console: console).absoluteString
        var round = 0
        while true {
            try Task.checkCancellation()
            async let probed = check(url: console)
            async let logged = Self.lastLogLine(engine: engine, container: container)
            let inspectDue = round % Self.inspectEveryRounds == 0
            round += 1
            async let inspected = Self.inspect(container, on: engine, if: inspectDue)
            let lastStatus = await probed
            let last = try await logged
            let lastLine = last?.text
            onAttempt?(lastStatus, lastLine)
            if lastStatus.isHealthy, let last, last.text.contains(OMSContainerPaths.startedLogLine) {
                return last.writtenAt
            }
            let timingOut = clock.now.advanced(by: interval) > deadline
            var details = try await inspected
            if details == nil, timingOut { details = try await engine.inspectContainer(container) }
            if let details, !details.state.running {
                throw HealthWaitError(
                    container: container, url: healthURL,
                    reason: .containerStopped(exitCode: details.state.exitCode),
                    lastStatus: lastStatus, lastLogLine: lastLine)
            }
            if timingOut {
                throw HealthWaitError(
                    container: container, url: healthURL,
                    reason: .timedOut(seconds: Int(timeout.components.seconds)),
                    lastStatus: lastStatus, lastLogLine: lastLine)
            }
            try await Task.sleep(for: interval)
        }
    }

    /// How often a wait inspects the container to notice that it stopped: every this many rounds.
    public static let inspectEveryRounds = 4

    /// The container's details when `due`, else nil (no docker call).
    private static func inspect(_ container: String, on engine: any ContainerEngine, if due: Bool) async throws
        -> ContainerDetails?
    {
        due ? try await engine.inspectContainer(container) : nil
    }

    /// Same, for a deployment's console (its URL).
    @discardableResult
    public func waitUntilHealthy(
        deployment: Deployment,
        engine: any ContainerEngine,
        container: String,
        timeout: Duration,
        interval: Duration = .seconds(3),
        onAttempt: (@Sendable (HealthStatus, String?) -> Void)? = nil
    ) async throws -> Date? {
        try await waitUntilHealthy(
            url: try deployment.consoleURL, engine: engine, container: container,
            timeout: timeout, interval: interval, onAttempt: onAttempt)
    }

    /// The last non-empty line of the container's log, with when it was written where the engine tells.
    static func lastLogLine(engine: any ContainerEngine, container: String) async throws -> (
        text: String, writtenAt: Date?
    )? {
        let lines = try await engine.timestampedTail(container, tail: 20).map(EngineTimestamp.splitLogLine)
        guard let last = lines.last(where: { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            return nil
        }
        return (last.text.trimmingCharacters(in: .whitespacesAndNewlines), last.writtenAt)
    }
}
