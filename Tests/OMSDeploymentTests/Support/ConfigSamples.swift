/// config.yaml texts for the tests.
enum ConfigSamples {
    static let password = "S3cr3t-pa55word!"

    /// The DESIGN.md example, values quoted.
    static let quoted = """
        oms_meta_host: "10.0.0.5"
        oms_meta_port: "2881"
        oms_meta_user: "root@oms_tenant"
        oms_meta_password: "\(password)"
        drc_rm_db: "oms_rm"
        drc_cm_db: "oms_cm"
        drc_cm_heartbeat_db: "oms_cm_heartbeat"
        cm_url: "http://10.0.0.7:8088"
        cm_location: "0"
        cm_region: ""
        cm_region_cn: ""
        cm_is_default: true
        cm_nodes: ["10.0.0.7"]
        tsdb_enabled: false
        tsdb_service: "INFLUXDB"
        tsdb_url: ""
        tsdb_username: ""
        tsdb_password: "tsdb-secret-value"
        """

    /// The same, bare values, ports as numbers, booleans quoted, a block list, custom ports, unknown keys.
    static let bare = """
        # comment
        oms_meta_host: 10.0.0.5
        oms_meta_port: 2881
        oms_meta_user: root@oms_tenant
        oms_meta_password: \(password)
        drc_rm_db: oms_rm
        drc_cm_db: oms_cm
        drc_cm_heartbeat_db: oms_cm_heartbeat
        cm_url: http://10.0.0.7:8088
        cm_location: 127
        cm_region: cn-hangzhou
        cm_region_cn:
        cm_is_default: "false"
        cm_nodes:
          - 10.0.0.7
          - 10.0.0.8
        tsdb_enabled: "true"
        nginx_server_port: "18089"
        cm_server_port: 18088
        some_future_key: hello
        nested_future_key:
          a: 1
        future_api_password: other-secret
        """

    /// `quoted` without the line of `key`.
    static func without(_ key: String) -> String {
        quoted.split(separator: "\n").filter { !$0.hasPrefix("\(key):") }.joined(separator: "\n")
    }

    /// `quoted` with `key`'s line replaced.
    static func replacing(_ key: String, with line: String) -> String {
        quoted.split(separator: "\n").map { $0.hasPrefix("\(key):") ? Substring(line) : $0 }.joined(separator: "\n")
    }
}
