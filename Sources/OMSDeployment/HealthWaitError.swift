/// The new container did not become healthy; printed as one actionable sentence.
public struct HealthWaitError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Why the wait ended.
    public enum Reason: Sendable, Equatable {
        /// The time ran out.
        case timedOut(seconds: Int)
        /// The container stopped (its last exit code).
        case containerStopped(exitCode: Int)
    }

    /// The container waited for.
    public var container: String
    /// The health URL probed.
    public var url: String
    /// Why the wait ended.
    public var reason: Reason
    /// The last health status seen.
    public var lastStatus: HealthStatus
    /// The container's last log line, if any.
    public var lastLogLine: String?

    /// Creates an error.
    public init(container: String, url: String, reason: Reason, lastStatus: HealthStatus, lastLogLine: String?) {
        self.container = container
        self.url = url
        self.reason = reason
        self.lastStatus = lastStatus
        self.lastLogLine = lastLogLine
    }

    public var description: String {
        let log = lastLogLine.map { "; its last log line is \"\($0)\"" } ?? ""
        switch reason {
        case .timedOut(let seconds):
            return
                "Container \(container) did not become healthy within \(seconds)s (\(url) is \(lastStatus)\(log)): read `docker logs \(container)` and /home/admin/logs, then roll back or retry with a longer --health-timeout."
        case .containerStopped(let exitCode):
            return
                "Container \(container) stopped (exit code \(exitCode)) while starting (\(url) is \(lastStatus)\(log)): read `docker logs \(container)`, then roll back."
        }
    }
}
