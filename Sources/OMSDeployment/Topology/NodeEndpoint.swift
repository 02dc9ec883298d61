import Containers
import Logging

/// One OMS node of a multi-node deployment as given on the command line: its IP and the Docker
/// endpoint that reaches its engine (`--node IP=ENDPOINT`).
///
/// ENDPOINT is a daemon address as `docker -H` takes it (`unix://`, `ssh://`, `tcp://`, `fd://`,
/// `npipe://`) or else the name of a docker context.
public struct NodeEndpoint: Sendable, Codable, Hashable, CustomStringConvertible {
    /// The node's address: its OMS_HOST_IP and its entry in cm_nodes.
    public var ip: String
    /// The daemon address or context name.
    public var endpoint: String

    /// Creates a node from its parts.
    public init(ip: String, endpoint: String) {
        self.ip = ip
        self.endpoint = endpoint
    }

    /// Parses `IP=ENDPOINT`.
    ///
    /// - Throws: ``NodeEndpointError`` when either side is empty or the IP is not an address.
    public init(parsing text: String) throws {
        guard let equals = text.firstIndex(of: "=") else {
            throw NodeEndpointError(argument: text, problem: .missingEquals)
        }
        let ip = text[..<equals].trimmingCharacters(in: .whitespaces)
        let endpoint = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !ip.isEmpty else { throw NodeEndpointError(argument: text, problem: .emptyIP) }
        guard Self.looksLikeAddress(ip) else { throw NodeEndpointError(argument: text, problem: .notAnAddress(ip)) }
        guard !endpoint.isEmpty else { throw NodeEndpointError(argument: text, problem: .emptyEndpoint) }
        self.init(ip: ip, endpoint: endpoint)
    }

    /// Whether ``endpoint`` is a daemon address (`scheme://...`) rather than a context name.
    public var isDaemonAddress: Bool { endpoint.contains("://") }

    /// `IP=ENDPOINT`, as given.
    public var description: String { "\(ip)=\(endpoint)" }

    /// The docker CLI aimed at this node's engine.
    public func makeEngine(logger: Logger) -> DockerCLI {
        isDaemonAddress
            ? DockerCLI(context: nil, host: endpoint, logger: logger)
            : DockerCLI(context: endpoint, host: nil, logger: logger)
    }

    /// An IPv4 dotted quad or an IPv6 address (hex digits, colons, optional dots).
    static func looksLikeAddress(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4,
            parts.allSatisfy({ part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isNumber) && (Int(part) ?? 256) <= 255
            })
        {
            return true
        }
        return text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}
