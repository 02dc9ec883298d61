import Containers
import Foundation

extension HealthProbe {
    /// Waits until the console reports itself healthy AND the container's last log line is
    /// `OMS service start successfully`; throws ``HealthWaitError`` when `timeout` passes or the
    /// container stops first.
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
        var lastStatus = HealthStatus.unreachable("not probed yet")
        var lastLine: String?
        while true {
            try Task.checkCancellation()
            lastStatus = await check(url: console)
            let last = try await Self.lastLogLine(engine: engine, container: container)
            lastLine = last?.text
            onAttempt?(lastStatus, lastLine)
            if lastStatus.isHealthy, let last, last.text.contains(OMSContainerPaths.startedLogLine) {
                return last.writtenAt
            }
            let details = try await engine.inspectContainer(container)
            if !details.state.running {
                throw HealthWaitError(
                    container: container, url: healthURL,
                    reason: .containerStopped(exitCode: details.state.exitCode),
                    lastStatus: lastStatus, lastLogLine: lastLine)
            }
            if clock.now.advanced(by: interval) > deadline {
                throw HealthWaitError(
                    container: container, url: healthURL,
                    reason: .timedOut(seconds: Int(timeout.components.seconds)),
                    lastStatus: lastStatus, lastLogLine: lastLine)
            }
            try await Task.sleep(for: interval)
        }
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
