import Containers
import Foundation

/// One OMS deployment: its container, the host paths it mounts, its config.yaml and its release.
///
/// Codable for journals: the encoding leaves config.yaml's passwords out (see ``OMSConfig``).
public struct Deployment: Sendable, Codable, Equatable {
    /// The container, as inspected.
    public var container: ContainerDetails
    /// The host path of config.yaml.
    public var configPath: String
    /// The mount that brings config.yaml in (the file, or its directory).
    public var configMount: Mount
    /// The mounts onto /home/admin/logs, /home/ds/store and /home/ds/run, in that order.
    public var dataMounts: [Mount]
    /// The SSL pair's mounts (certificate, key), when the console is HTTPS.
    public var sslMounts: SSLMounts?
    /// config.yaml, parsed.
    public var config: OMSConfig
    /// The release, from the image reference (or the image's tags); nil when no tag tells.
    public var version: OMSVersion?
    /// The old image's details, when the engine could inspect it (its env tells image-provided
    /// variables apart from the operator's).
    public var image: ImageDetails?

    /// The certificate and key mounts of an HTTPS console.
    public struct SSLMounts: Sendable, Codable, Equatable {
        /// The mount onto /etc/pki/nginx/oms_server.crt.
        public var certificate: Mount
        /// The mount onto /etc/pki/nginx/oms_server.key.
        public var key: Mount
    }

    /// Creates a deployment from parts (tests; the tool uses ``discover(container:engine:)``).
    public init(
        container: ContainerDetails, configPath: String, configMount: Mount, dataMounts: [Mount],
        sslMounts: SSLMounts?, config: OMSConfig, version: OMSVersion?, image: ImageDetails? = nil
    ) {
        self.container = container
        self.configPath = configPath
        self.configMount = configMount
        self.dataMounts = dataMounts
        self.sslMounts = sslMounts
        self.config = config
        self.version = version
        self.image = image
    }

    /// The container's name.
    public var name: String { container.name }

    /// The host address the console answers on: OMS_HOST_IP, else 127.0.0.1.
    public var hostIP: String {
        let value = container.envValue("OMS_HOST_IP")?.trimmingCharacters(in: .whitespaces) ?? ""
        return value.isEmpty ? "127.0.0.1" : value
    }

    /// The console's address: https when the SSL pair is mounted, on nginx_server_port.
    ///
    /// Throws ``HostAddressError`` when the container's OMS_HOST_IP is not an address.
    public var consoleURL: URL {
        get throws {
            try Deployment.consoleURL(
                host: hostIP, port: config.ports.nginx, https: sslMounts != nil,
                source: "OMS_HOST_IP of container \(name)")
        }
    }

    /// `http(s)://host:port` with an IPv6 host bracketed; throws ``HostAddressError`` for a host that is not one.
    public static func consoleURL(host: String, port: Int, https: Bool, source: String = "OMS_HOST_IP") throws -> URL {
        try HostAddress.validate(host, source: source)
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        guard let url = URL(string: "\(https ? "https" : "http")://\(shownHost):\(port)") else {
            throw HostAddressError(value: host, source: source)
        }
        return url
    }

    /// Mount sources (config.yaml, data, SSL pair, other binds) that no longer exist on this host.
    public func missingMountSources() -> [Mount] {
        container.mounts.filter { mount in
            mount.type == .bind && !mount.source.isEmpty && !FileManager.default.fileExists(atPath: mount.source)
        }
    }

    /// Throws ``DeploymentError`` naming every bind source that no longer exists on this host.
    public func validateMountSources() throws {
        let missing = missingMountSources()
        if !missing.isEmpty {
            throw DeploymentError(container: name, problem: .missingMountSource(missing))
        }
    }
}
