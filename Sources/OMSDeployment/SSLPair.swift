/// The console's TLS certificate and key, as host paths.
public struct SSLPair: Sendable, Codable, Hashable {
    /// The PEM certificate (mounted onto /etc/pki/nginx/oms_server.crt).
    public var certificatePath: String
    /// The PEM private key (mounted onto /etc/pki/nginx/oms_server.key).
    public var keyPath: String

    /// Creates a pair.
    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }
}
