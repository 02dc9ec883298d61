import Foundation
import MetaDB
import MetaDump
import SandboxSupport

/// The sandbox server as MetaDB options, and helpers to make and drop scratch databases.
enum TestServer {
    /// Connection options for the sandbox's admin account on `server`.
    static func options(_ server: MetadataServer = .mariadb) throws -> ConnectionOptions {
        let account = try Sandbox.mysql(server)
        return ConnectionOptions(
            host: account.host, port: account.port, user: account.user,
            password: Secret(account.password), tls: .plaintext)
    }

    /// A new admin connection.
    static func connect(database: String? = nil, server: MetadataServer = .mariadb) throws -> Connection {
        var options = try options(server)
        options.database = database
        return try Connection(options: options)
    }

    /// Runs each statement in order on one connection.
    static func run(_ statements: [String], database: String? = nil, server: MetadataServer = .mariadb) throws {
        let connection = try connect(database: database, server: server)
        defer { connection.close() }
        for statement in statements { try connection.execute(statement) }
    }

    /// Drops every database whose name starts with one of `prefixes` (the test's own names).
    static func dropDatabases(startingWith prefixes: [String], server: MetadataServer = .mariadb) {
        guard let connection = try? connect(server: server) else { return }
        defer { connection.close() }
        let names = (try? connection.query("SHOW DATABASES").rows.compactMap { $0[0].string }) ?? []
        for name in names where prefixes.contains(where: { name.hasPrefix($0) }) {
            _ = try? connection.execute("DROP DATABASE IF EXISTS \(SQL.quoteIdentifier(name))")
        }
    }

    /// Runs the test `body` with a new database named from `prefix` on `server`, created and filled by the
    /// statements `setup` returns for its quoted name; drops it afterwards (and every database named
    /// from it, such as its snapshots), also when something throws.
    static func withDatabase<T>(
        _ prefix: String, server: MetadataServer, setup: (_ quoted: String) -> [String],
        test body: (_ database: String, _ quoted: String) async throws -> T
    ) async throws -> T {
        let database = Sandbox.uniqueName(prefix)
        defer { dropDatabases(startingWith: [database], server: server) }
        let quoted = SQL.quoteIdentifier(database)
        try run(["CREATE DATABASE \(quoted)"] + setup(quoted), server: server)
        return try await body(database, quoted)
    }

    /// A fresh private temporary directory path that does not exist yet (for a backup).
    static func backupDirectory(_ name: String) throws -> String {
        let parent = try Sandbox.makePrivateTempDirectory()
        return parent.appendingPathComponent(name).path
    }
}

extension TestServer {
    /// Creates trigger `name` in `database` with `create`, past the OceanBase kernel's spurious "already
    /// exist" (5734) and "Schema try again" (5627) while other tests run DDL, as the tool does; under
    /// `sqlMode` when given.
    static func createTrigger(
        _ create: String, name: String, database: String, server: MetadataServer, sqlMode: String? = nil
    ) throws {
        let connection = try connect(database: database, server: server)
        defer { connection.close() }
        if let sqlMode { try connection.execute("SET SESSION sql_mode = \(SQL.quoteString(sqlMode))") }
        try connection.createTriggerTolerantly(create, database: database, name: name)
    }
}
