/// What one look at `/oms/health` found.
public enum HealthStatus: Sendable, Equatable, CustomStringConvertible {
    /// `data.healthy` is true.
    case healthy
    /// The console answered, but not healthy (or not with the expected JSON); the text says what it answered.
    case unhealthy(String)
    /// Nothing answered (refused, timed out, TLS failure...); the text says why.
    case unreachable(String)

    /// Whether the console reported itself healthy.
    public var isHealthy: Bool { self == .healthy }

    public var description: String {
        switch self {
        case .healthy: return "healthy"
        case .unhealthy(let detail): return "not healthy: \(detail)"
        case .unreachable(let detail): return "unreachable: \(detail)"
        }
    }
}
