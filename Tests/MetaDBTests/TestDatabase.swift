import Foundation
import MetaDB
import SandboxSupport

/// Connection options and throw-away databases for the integration tests, from SandboxSupport.
// The sync and async `withDatabase` share their name on purpose.
// swift-format-ignore: AmbiguousTrailingClosureOverload
enum TestDatabase {
    /// Options for the sandbox's admin account, optionally with a default database.
    static func options(database: String? = nil, connectTimeout: Int = 10) throws -> ConnectionOptions {
        let admin = try Sandbox.mysql()
        return ConnectionOptions(
            host: admin.host, port: admin.port, user: admin.user, password: Secret(admin.password),
            database: database, connectTimeout: connectTimeout)
    }

    /// The admin password, for tests that check it never leaks.
    static func password() throws -> String {
        try options().password.reveal()
    }

    /// Creates a database named `Sandbox.uniqueName("metadb")`, runs `body` with a connection to it, and drops it.
    static func withDatabase<T>(_ body: (Connection, String) throws -> T) throws -> T {
        let name = Sandbox.uniqueName("metadb")
        let admin = try Connection(options: options())
        try admin.execute("CREATE DATABASE \(SQL.quoteIdentifier(name)) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        defer {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(SQL.quoteIdentifier(name))")
            admin.close()
        }
        let connection = try Connection(options: options(database: name))
        defer { connection.close() }
        return try body(connection, name)
    }

    /// The async form of ``withDatabase(_:)``: `body` gets the database name.
    static func withDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        let name = Sandbox.uniqueName("metadb")
        let admin = try Connection(options: options())
        try admin.execute("CREATE DATABASE \(SQL.quoteIdentifier(name)) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        defer {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(SQL.quoteIdentifier(name))")
            admin.close()
        }
        return try await body(name)
    }
}
