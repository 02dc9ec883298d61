/// The keys of OMS's config.yaml that the tool reads, and what each means (for error messages).
public enum OMSConfigKeys {
    /// Keys that must be present and non-empty.
    public static let required = [
        "oms_meta_host", "oms_meta_port", "oms_meta_user", "oms_meta_password",
        "drc_rm_db", "drc_cm_db", "drc_cm_heartbeat_db", "cm_url", "cm_location",
    ]

    /// Keys the tool knows but does not require.
    public static let optional = [
        "cm_region", "cm_region_cn", "cm_is_default", "cm_nodes",
        "tsdb_enabled", "tsdb_service", "tsdb_url", "tsdb_username", "tsdb_password",
        "nginx_server_port", "cm_server_port", "ghana_server_port", "supervisor_server_port", "sshd_server_port",
    ]

    /// Every key the tool knows.
    public static var known: Set<String> { Set(required + optional) }

    /// What a key holds, in a few words.
    public static func meaning(of key: String) -> String {
        switch key {
        case "oms_meta_host": return "the metadata database's host"
        case "oms_meta_port": return "the metadata database's port"
        case "oms_meta_user": return "the metadata database's user, e.g. root@oms_tenant"
        case "oms_meta_password": return "the metadata database password"
        case "drc_rm_db": return "the name of the rm metadata database"
        case "drc_cm_db": return "the name of the cm metadata database"
        case "drc_cm_heartbeat_db": return "the name of the CM heartbeat database"
        case "cm_url": return "this region's CM address, e.g. http://10.0.0.7:8088"
        case "cm_location": return "this region's code, 0 to 127"
        default: return "see the OMS deployment guide"
        }
    }
}
