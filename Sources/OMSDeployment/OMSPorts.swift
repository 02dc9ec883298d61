/// The ports OMS's services listen on, from config.yaml (with OMS's defaults).
public struct OMSPorts: Sendable, Codable, Hashable {
    /// `nginx_server_port`: the console and `/oms/health` (default 8089).
    public var nginx: Int
    /// `cm_server_port` (default 8088).
    public var cm: Int
    /// `ghana_server_port` (default 8090).
    public var ghana: Int
    /// `supervisor_server_port` (default 9000).
    public var supervisor: Int
    /// `sshd_server_port` (default 2023).
    public var sshd: Int

    /// Creates the ports; every one defaults to OMS's default.
    public init(nginx: Int = 8089, cm: Int = 8088, ghana: Int = 8090, supervisor: Int = 9000, sshd: Int = 2023) {
        self.nginx = nginx
        self.cm = cm
        self.ghana = ghana
        self.supervisor = supervisor
        self.sshd = sshd
    }

    /// OMS's defaults.
    public static let defaults = OMSPorts()
}
