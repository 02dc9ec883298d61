/// Where and how to connect to a MySQL-compatible server.
///
/// Host `"localhost"` means the local unix socket (`/run/mysqld/mysqld.sock`) in
/// Connector/C, as in the `mysql` client; use `"127.0.0.1"` for TCP on this host.
/// A user may carry an OceanBase tenant (`root@oms_tenant`); it is passed through.
public struct ConnectionOptions: Sendable {
    /// Server host name or IP address; `"localhost"` selects the unix socket.
    public var host: String
    /// TCP port (ignored for the unix socket).
    public var port: Int
    /// User name, possibly `user@tenant` (OceanBase) or `user@tenant#cluster`.
    public var user: String
    /// The password; it never appears in descriptions or errors.
    public var password: Secret
    /// The default database, if any.
    public var database: String?
    /// Seconds to wait for the TCP connection and handshake.
    public var connectTimeout: Int
    /// Seconds to wait for each read from the server.
    public var readTimeout: Int
    /// Seconds to wait for each write to the server.
    public var writeTimeout: Int
    /// Whether and how to use TLS.
    public var tls: TLSMode

    /// Creates connection options; timeouts are in seconds.
    public init(
        host: String,
        port: Int,
        user: String,
        password: Secret,
        database: String? = nil,
        connectTimeout: Int = 10,
        readTimeout: Int = 600,
        writeTimeout: Int = 600,
        tls: TLSMode = .preferred
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        self.tls = tls
    }

    /// `user@host:port` for messages and logs; never contains the password.
    ///
    /// An IPv6 address is bracketed: `root@[::1]:3306`.
    public var endpoint: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(user)@\(shownHost):\(port)"
    }
}

extension ConnectionOptions: CustomStringConvertible {
    /// The endpoint, the database and the TLS mode; never the password.
    public var description: String {
        var text = endpoint
        if let database { text += "/\(database)" }
        text += " (tls: \(tls))"
        return text
    }
}
