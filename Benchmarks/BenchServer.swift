import Foundation
import MetaDB
import MetaDump

/// The sandbox server as `scripts/sandbox-up.sh` describes it in `.sandbox/sandbox.env`.
struct BenchServer {
    var options: ConnectionOptions

    /// Reads `.sandbox/sandbox.env` under `root` (the password comes from the file it names).
    static func fromSandbox(root: String) throws -> BenchServer {
        let envPath = root + "/.sandbox/sandbox.env"
        guard let text = try? String(contentsOfFile: envPath, encoding: .utf8) else {
            throw BenchError("cannot read \(envPath); run scripts/sandbox-up.sh first")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                values[parts[0]] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            }
        }
        guard let host = values["OMS_SANDBOX_MYSQL_HOST"],
            let port = values["OMS_SANDBOX_MYSQL_PORT"].flatMap(Int.init),
            let user = values["OMS_SANDBOX_MYSQL_USER"], let passwordFile = values["OMS_SANDBOX_MYSQL_PASSWORD_FILE"],
            let password = try? String(contentsOfFile: passwordFile, encoding: .utf8)
        else { throw BenchError("\(envPath) is incomplete") }
        let secret = Secret(password.trimmingCharacters(in: .newlines))
        return BenchServer(
            options: ConnectionOptions(
                host: host, port: port, user: user, password: secret,
                readTimeout: 3600, writeTimeout: 3600, tls: .plaintext))
    }

    /// Runs statements in order on a new connection, optionally with a default database.
    func run(_ statements: [String], database: String? = nil) throws {
        var options = self.options
        options.database = database
        let connection = try Connection(options: options)
        defer { connection.close() }
        for statement in statements { try connection.execute(statement) }
    }

    /// The first value of a query, as an integer.
    func int(_ sql: String, database: String? = nil) throws -> Int64? {
        var options = self.options
        options.database = database
        let connection = try Connection(options: options)
        defer { connection.close() }
        return try connection.scalar(sql).int64
    }

    /// Drops the databases if they exist.
    func drop(_ databases: [String]) throws {
        try run(databases.map { "DROP DATABASE IF EXISTS \(SQL.quoteIdentifier($0))" })
    }

    /// Drops every database whose name starts with `prefix`.
    func dropAll(prefix: String) throws {
        let connection = try Connection(options: options)
        defer { connection.close() }
        let names = try connection.query("SHOW DATABASES").rows.compactMap { $0[0].string }.filter {
            $0.hasPrefix(prefix)
        }
        for name in names { try connection.execute("DROP DATABASE IF EXISTS \(SQL.quoteIdentifier(name))") }
    }
}

/// A failure of the benchmark itself.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
