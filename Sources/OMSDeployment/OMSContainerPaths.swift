/// The fixed paths inside an OMS container (the host side is the operator's choice).
public enum OMSContainerPaths {
    /// config.yaml.
    public static let config = "/home/admin/conf/config.yaml"
    /// The directory holding config.yaml (some deployments bind the whole directory).
    public static let configDirectory = "/home/admin/conf"
    /// OMS's logs (docker_init.log.* included).
    public static let logs = "/home/admin/logs"
    /// The store components' data.
    public static let store = "/home/ds/store"
    /// The synchronisation components' data.
    public static let run = "/home/ds/run"
    /// The three data mounts, in the guide's order; they must not change across upgrades.
    public static let dataMounts = [logs, store, run]
    /// The console's TLS certificate (optional; with it the console is HTTPS only).
    public static let sslCertificate = "/etc/pki/nginx/oms_server.crt"
    /// The console's TLS key.
    public static let sslKey = "/etc/pki/nginx/oms_server.key"
    /// The metadata initialisation script of the new image.
    public static let initScript = "/root/docker_init.sh"
    /// The last log line of a container that started fine.
    public static let startedLogLine = "OMS service start successfully"
}
