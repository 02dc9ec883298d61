/// What the engine does when the container's main process exits (`--restart`).
public struct RestartPolicy: Sendable, Codable, Hashable {
    /// `no`, `always`, `unless-stopped` or `on-failure` (podman may report an empty name for `no`).
    public var name: String
    /// For `on-failure`: how many restarts at most (0: unlimited).
    public var maximumRetryCount: Int

    /// Creates a policy.
    public init(name: String, maximumRetryCount: Int = 0) {
        self.name = name
        self.maximumRetryCount = maximumRetryCount
    }

    /// No restart.
    public static let no = RestartPolicy(name: "no")

    /// Whether the policy restarts anything at all.
    public var isNone: Bool { name.isEmpty || name == "no" }

    /// The `--restart` value, or nil when nothing needs passing.
    public var argument: String? {
        if isNone { return nil }
        if name == "on-failure", maximumRetryCount > 0 { return "on-failure:\(maximumRetryCount)" }
        return name
    }
}
