import BlockingWork
import MetaDB
import Synchronization

/// Checksums of every base table of a database, for comparing two databases or a database with a manifest.
public enum DatabaseChecksums {
    /// Computes ``TableChecksum`` for each base table of `database`, keyed by table name, on `workers` connections.
    ///
    /// Each table is read in its own statement, so the result is a consistent
    /// snapshot only when nothing writes to the database meanwhile.
    public static func compute(server: ConnectionOptions, database: String, workers: Int = 2) async throws
        -> [String: TableChecksum]
    {
        let catalog = try await BlockingPool.shared.run {
            try withContext("Reading the tables of `\(database)`", database: database) {
                let connection = try Session.open(server)
                defer { connection.close() }
                return try SchemaCatalog.read(connection, database: database)
            }
        }
        return try await compute(server: server, database: database, tables: catalog.tables, workers: workers)
    }

    /// Computes ``TableChecksum`` for `tables` of `database` on `workers` connections, calling `afterEach` after each table.
    static func compute(
        server: ConnectionOptions, database: String, tables: [TableInfo], workers: Int,
        afterEach: @escaping @Sendable () -> Void = {}
    ) async throws -> [String: TableChecksum] {
        let sums = Mutex<[String: TableChecksum]>([:])
        try await BlockingPool.shared.forEach(tables, workers: workers) {
            let connection = try Session.open(server)
            try Session.normalize(connection)
            return connection
        } finish: {
            $0.close()
        } _: { connection, table in
            let sum = try withContext(
                "Computing the checksum of `\(database)`.`\(table.name)`", database: database,
                table: table.name
            ) {
                try TableChecksum.compute(connection, database: database, table: table)
            }
            sums.withLock { $0[table.name] = sum }
            afterEach()
        }
        return sums.withLock { $0 }
    }
}
