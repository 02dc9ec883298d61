/// One published port (`-p [hostIP:]hostPort:containerPort/proto`); empty with `--net host`.
public struct PortBinding: Sendable, Codable, Hashable {
    /// The container port and protocol, e.g. `8089/tcp`.
    public var containerPort: String
    /// The host address, empty for all.
    public var hostIP: String
    /// The host port, empty for a random one.
    public var hostPort: String

    /// Creates a binding.
    public init(containerPort: String, hostIP: String = "", hostPort: String) {
        self.containerPort = containerPort
        self.hostIP = hostIP
        self.hostPort = hostPort
    }

    /// The `-p` value.
    public var argument: String {
        let host = hostIP.isEmpty ? hostPort : "\(hostIP.contains(":") ? "[\(hostIP)]" : hostIP):\(hostPort)"
        let port = containerPort.hasSuffix("/tcp") ? String(containerPort.dropLast(4)) : containerPort
        return host.isEmpty ? port : "\(host):\(port)"
    }
}
