/// An error from the metadata database client, worded so a person can act on it.
///
/// The description names the endpoint (`user@host:port`), the server's error
/// code, SQLSTATE and message, and for known codes a remedy. It never contains
/// the password: the password is scrubbed from the message and the statement
/// even if a server were to echo it.
public struct MetaDBError: Error, Sendable, CustomStringConvertible {
    /// What was being done when the error happened.
    public enum Kind: Sendable, Hashable {
        /// Opening the connection (network, TLS, authentication, default database).
        case connect
        /// Running a statement or reading its result.
        case query
        /// The connection was already closed.
        case closed
        /// The API was used in a way it does not support.
        case usage
    }

    /// What was being done.
    public let kind: Kind
    /// The MySQL/MariaDB error number (server `1xxx`, client `2xxx`), or 0.
    public let code: UInt32
    /// The five-character SQLSTATE, `HY000` when unknown.
    public let sqlState: String
    /// The server's or client library's message, password scrubbed.
    public let message: String
    /// `user@host:port`.
    public let endpoint: String
    /// The statement that failed, truncated to about 200 characters, password scrubbed.
    public let statement: String?

    /// The longest statement kept in an error, in characters.
    public static let maxStatementLength = 200

    /// Creates an error; `message` and `statement` are scrubbed of `password` and the statement is truncated.
    public init(
        kind: Kind,
        code: UInt32 = 0,
        sqlState: String = "HY000",
        message: String,
        endpoint: String,
        statement: String? = nil,
        password: Secret? = nil
    ) {
        self.kind = kind
        self.code = code
        self.sqlState = sqlState
        self.message = Self.scrub(message, password)
        self.endpoint = endpoint
        self.statement = statement.map { Self.truncate(Self.scrub($0, password)) }
    }

    /// One or two sentences: what failed, where, the server's words and what to do.
    public var description: String {
        var text: String
        switch kind {
        case .connect:
            text = "Cannot connect to the metadata database as \(endpoint)"
        case .query:
            text = "A statement failed on the metadata database \(endpoint)"
        case .closed:
            text = "The connection to the metadata database \(endpoint) is closed"
        case .usage:
            text = "Nothing was sent to the metadata database \(endpoint)"
        }
        if code != 0 {
            text += ": MySQL error \(code) (\(sqlState)): \(message)"
        } else if !message.isEmpty {
            text += ": \(message)"
        }
        if !text.hasSuffix(".") { text += "." }
        if let statement, kind == .query {
            text += " Statement: \(statement)"
            if !statement.hasSuffix(";") && !statement.hasSuffix(".") { text += "." }
        }
        if let remedy {
            text += " " + remedy
        }
        return text
    }

    /// What a person can do about this error, when the code is a known one.
    public var remedy: String? {
        switch (code, kind) {
        case (1045, _), (1698, _):
            return "Check the user name and password (oms_meta_user and oms_meta_password in config.yaml)."
        case (2002, _), (2003, _):
            return
                "Check that the server is running and reachable at this host and port (oms_meta_host and oms_meta_port in config.yaml), and that no firewall blocks it."
        case (2005, _):
            return "The host name does not resolve; check oms_meta_host in config.yaml and DNS."
        case (2013, .connect), (2012, .connect):
            return
                "The server did not complete the handshake in time; check that the host and port belong to a MySQL-compatible server, that it is not overloaded, and the network between here and there."
        case (2006, _), (2013, _), (4031, _):
            return
                "The connection was lost (the server restarted, the session was killed, or a timeout such as wait_timeout or net_write_timeout expired); reconnect and retry."
        case (1049, _):
            return
                "The database does not exist; check the database names (drc_rm_db, drc_cm_db, drc_cm_heartbeat_db in config.yaml)."
        case (1044, _), (1142, _), (1143, _), (1227, _), (1370, _):
            return "The user lacks a privilege this step needs; grant it, or use an account that has it."
        case (1064, _):
            return "The server rejected the statement's syntax; check that the server type and version are supported."
        case (1146, _):
            return
                "The table does not exist; check that the database is the OMS metadata database of the expected version."
        case (1054, _):
            return "A column does not exist; check that the metadata schema has the expected version."
        case (1040, _), (1203, _):
            return "The server has too many connections; close idle sessions or raise max_connections, then retry."
        case (1205, _), (1213, _):
            return "Another session holds conflicting locks; stop the OMS container that uses this database and retry."
        case (1226, _):
            return "A resource limit of the user was exceeded; raise it or retry later."
        case (2026, _):
            return "Check the server's TLS setup (have_ssl, ssl_cert, ssl_key) and the client's TLS mode and CA file."
        case (_, .closed):
            return "Open a new connection."
        default:
            return nil
        }
    }

    /// Replaces every occurrence of the password in `text` with `******`.
    static func scrub(_ text: String, _ password: Secret?) -> String {
        guard let secret = password?.reveal(), !secret.isEmpty, text.contains(secret) else { return text }
        return text.replacing(secret, with: "******")
    }

    /// Cuts `text` to ``maxStatementLength`` characters, marking the cut with `…`.
    static func truncate(_ text: String) -> String {
        guard text.count > maxStatementLength else { return text }
        return String(text.prefix(maxStatementLength)) + "…"
    }
}
