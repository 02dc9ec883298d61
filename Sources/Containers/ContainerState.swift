/// The run state of a container as `docker inspect` reports it.
public struct ContainerState: Sendable, Codable, Equatable {
    /// `created`, `running`, `paused`, `restarting`, `exited`, `dead` (podman: also `configured`, `stopped`).
    public var status: String
    /// Whether its main process runs.
    public var running: Bool
    /// The main process's id on the host (0 when not running).
    public var pid: Int
    /// The main process's last exit code.
    public var exitCode: Int
    /// When it last started (RFC 3339 as the engine prints it), nil if never.
    public var startedAt: String?
    /// When it last stopped, nil if never.
    public var finishedAt: String?

    /// Creates a state.
    public init(
        status: String, running: Bool, pid: Int = 0, exitCode: Int = 0, startedAt: String? = nil,
        finishedAt: String? = nil
    ) {
        self.status = status
        self.running = running
        self.pid = pid
        self.exitCode = exitCode
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
