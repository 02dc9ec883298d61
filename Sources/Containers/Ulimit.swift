/// One resource limit of a container (`--ulimit name=soft:hard`).
public struct Ulimit: Sendable, Codable, Hashable {
    /// The limit's name as `docker run --ulimit` takes it (`nproc`, `nofile`...).
    public var name: String
    /// The soft limit.
    public var soft: Int64
    /// The hard limit.
    public var hard: Int64

    /// Creates a limit; podman's `RLIMIT_NPROC` style names are normalised to `nproc`.
    public init(name: String, soft: Int64, hard: Int64) {
        self.name = Ulimit.normalizedName(name)
        self.soft = soft
        self.hard = hard
    }

    /// The `--ulimit` value: `name=soft:hard`.
    public var argument: String { "\(name)=\(soft):\(hard)" }

    /// Lower-cases a limit name and drops podman's `RLIMIT_` prefix.
    public static func normalizedName(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.hasPrefix("rlimit_") ? String(lower.dropFirst("rlimit_".count)) : lower
    }
}
