import MetaDB

/// OMS's config.yaml: where the metadata databases are and how this region is set up.
///
/// The two passwords (`oms_meta_password`, `tsdb_password`) are held as `Secret`: they never
/// appear in `description`, `dump`, reflection or the Codable encoding (which omits them; a
/// decoded config has empty passwords and must be re-read from the file to connect). Unknown
/// keys are kept in ``extra`` and otherwise ignored; values of secret-looking unknown keys are
/// left out of descriptions and encodings too.
public struct OMSConfig: Sendable, Equatable {
    /// The file this was read from.
    public var path: String
    /// `oms_meta_host`.
    public var metaHost: String
    /// `oms_meta_port`.
    public var metaPort: Int
    /// `oms_meta_user` (may carry `@tenant`).
    public var metaUser: String
    /// `oms_meta_password`, never empty when parsed.
    public var metaPassword: Secret
    /// `drc_rm_db`, `drc_cm_db`, `drc_cm_heartbeat_db`.
    public var databases: MetaDatabases
    /// `cm_url`.
    public var cmURL: String
    /// `cm_location`, 0...127.
    public var cmLocation: Int
    /// `cm_region`.
    public var cmRegion: String
    /// `cm_region_cn`.
    public var cmRegionCN: String
    /// `cm_is_default` (true when absent).
    public var cmIsDefault: Bool
    /// `cm_nodes`: the hosts of this region.
    public var cmNodes: [String]
    /// `tsdb_enabled` (false when absent).
    public var tsdbEnabled: Bool
    /// `tsdb_service`.
    public var tsdbService: String
    /// `tsdb_url`.
    public var tsdbURL: String
    /// `tsdb_username`.
    public var tsdbUsername: String
    /// `tsdb_password`.
    public var tsdbPassword: Secret
    /// The service ports, defaults filled in.
    public var ports: OMSPorts
    /// Keys the tool does not know, with their values as text (kept, ignored).
    public var extra: [String: String]

    /// Creates a config; tests build these by hand, the tool parses them with ``load(path:)``.
    public init(
        path: String, metaHost: String, metaPort: Int, metaUser: String, metaPassword: Secret,
        databases: MetaDatabases, cmURL: String, cmLocation: Int, cmRegion: String = "", cmRegionCN: String = "",
        cmIsDefault: Bool = true, cmNodes: [String] = [], tsdbEnabled: Bool = false, tsdbService: String = "",
        tsdbURL: String = "", tsdbUsername: String = "", tsdbPassword: Secret = Secret(""),
        ports: OMSPorts = .defaults, extra: [String: String] = [:]
    ) {
        self.path = path
        self.metaHost = metaHost
        self.metaPort = metaPort
        self.metaUser = metaUser
        self.metaPassword = metaPassword
        self.databases = databases
        self.cmURL = cmURL
        self.cmLocation = cmLocation
        self.cmRegion = cmRegion
        self.cmRegionCN = cmRegionCN
        self.cmIsDefault = cmIsDefault
        self.cmNodes = cmNodes
        self.tsdbEnabled = tsdbEnabled
        self.tsdbService = tsdbService
        self.tsdbURL = tsdbURL
        self.tsdbUsername = tsdbUsername
        self.tsdbPassword = tsdbPassword
        self.ports = ports
        self.extra = extra
    }

    /// Connection options for the metadata server (no default database), with the given timeouts in seconds.
    public func metaConnection(connectTimeout: Int = 10, readTimeout: Int = 600, writeTimeout: Int = 600)
        -> ConnectionOptions
    {
        ConnectionOptions(
            host: metaHost, port: metaPort, user: metaUser, password: metaPassword, database: nil,
            connectTimeout: connectTimeout, readTimeout: readTimeout, writeTimeout: writeTimeout
        )
    }

    /// The extra keys whose values may be shown: secret-looking ones are left out.
    var showableExtra: [String: String] {
        extra.filter { !OMSConfig.looksSecret($0.key) }
    }

    /// Whether a config key names a secret.
    static func looksSecret(_ key: String) -> Bool {
        let lower = key.lowercased()
        return ["password", "passwd", "secret", "token", "private_key", "access_key", "credential"].contains {
            lower.contains($0)
        }
            || lower.hasSuffix("_pwd")
    }
}

extension OMSConfig: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The endpoint, the databases, the region and the console port; never a password.
    public var description: String {
        "config.yaml at \(path): metadata \(metaUser)@\(metaHost):\(metaPort) (password ******), "
            + "databases \(databases.rm)/\(databases.cm)/\(databases.cmHeartbeat), cm_url \(cmURL), "
            + "cm_location \(cmLocation), cm_nodes \(cmNodes), console port \(ports.nginx)"
    }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror that shows every field but the passwords (as `******`) and secret-looking extra values.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "path": path, "metaHost": metaHost, "metaPort": metaPort, "metaUser": metaUser,
                "metaPassword": "******", "databases": databases, "cmURL": cmURL, "cmLocation": cmLocation,
                "cmRegion": cmRegion, "cmRegionCN": cmRegionCN, "cmIsDefault": cmIsDefault, "cmNodes": cmNodes,
                "tsdbEnabled": tsdbEnabled, "tsdbService": tsdbService, "tsdbURL": tsdbURL,
                "tsdbUsername": tsdbUsername, "tsdbPassword": "******", "ports": ports, "extra": showableExtra,
            ], displayStyle: .struct)
    }
}

extension OMSConfig: Codable {
    private enum CodingKeys: String, CodingKey {
        case path, metaHost, metaPort, metaUser, databases, cmURL, cmLocation, cmRegion, cmRegionCN
        case cmIsDefault, cmNodes, tsdbEnabled, tsdbService, tsdbURL, tsdbUsername, ports, extra
    }

    /// Decodes a config encoded by this type: the passwords were never encoded, so they are empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            path: try container.decode(String.self, forKey: .path),
            metaHost: try container.decode(String.self, forKey: .metaHost),
            metaPort: try container.decode(Int.self, forKey: .metaPort),
            metaUser: try container.decode(String.self, forKey: .metaUser),
            metaPassword: Secret(""),
            databases: try container.decode(MetaDatabases.self, forKey: .databases),
            cmURL: try container.decode(String.self, forKey: .cmURL),
            cmLocation: try container.decode(Int.self, forKey: .cmLocation),
            cmRegion: try container.decodeIfPresent(String.self, forKey: .cmRegion) ?? "",
            cmRegionCN: try container.decodeIfPresent(String.self, forKey: .cmRegionCN) ?? "",
            cmIsDefault: try container.decodeIfPresent(Bool.self, forKey: .cmIsDefault) ?? true,
            cmNodes: try container.decodeIfPresent([String].self, forKey: .cmNodes) ?? [],
            tsdbEnabled: try container.decodeIfPresent(Bool.self, forKey: .tsdbEnabled) ?? false,
            tsdbService: try container.decodeIfPresent(String.self, forKey: .tsdbService) ?? "",
            tsdbURL: try container.decodeIfPresent(String.self, forKey: .tsdbURL) ?? "",
            tsdbUsername: try container.decodeIfPresent(String.self, forKey: .tsdbUsername) ?? "",
            tsdbPassword: Secret(""),
            ports: try container.decodeIfPresent(OMSPorts.self, forKey: .ports) ?? .defaults,
            extra: try container.decodeIfPresent([String: String].self, forKey: .extra) ?? [:]
        )
    }

    /// Encodes everything but the passwords and secret-looking extra values.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(metaHost, forKey: .metaHost)
        try container.encode(metaPort, forKey: .metaPort)
        try container.encode(metaUser, forKey: .metaUser)
        try container.encode(databases, forKey: .databases)
        try container.encode(cmURL, forKey: .cmURL)
        try container.encode(cmLocation, forKey: .cmLocation)
        try container.encode(cmRegion, forKey: .cmRegion)
        try container.encode(cmRegionCN, forKey: .cmRegionCN)
        try container.encode(cmIsDefault, forKey: .cmIsDefault)
        try container.encode(cmNodes, forKey: .cmNodes)
        try container.encode(tsdbEnabled, forKey: .tsdbEnabled)
        try container.encode(tsdbService, forKey: .tsdbService)
        try container.encode(tsdbURL, forKey: .tsdbURL)
        try container.encode(tsdbUsername, forKey: .tsdbUsername)
        try container.encode(ports, forKey: .ports)
        try container.encode(showableExtra, forKey: .extra)
    }
}
