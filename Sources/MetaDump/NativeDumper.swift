import Foundation
import MetaDB
import Synchronization
import TerminalProgress

/// MetaDump's own dumper: one consistent snapshot per database, streamed straight into SQL bytes.
///
/// Rows are read with `mysql_use_result` (``MetaDB/Connection/streamRaw(_:_:)``)
/// and encoded directly into the file buffer: numbers as the server's text,
/// text quoted with backslash escapes, binary/BLOB/BIT/GEOMETRY as hex, JSON as
/// a string. Generated columns are left out of explicit column lists. Checksums
/// for the manifest are taken in the same snapshot: on a second connection that
/// shares it (both transactions start while the tables are `LOCK TABLES … READ`
/// locked) so they run alongside the dump, or on the dump's own connection
/// when locking is not permitted.
struct NativeDumper: Sendable {
    /// The dumper's version, recorded in manifests.
    static let version = "oms-upgrade native dumper 1"

    var server: ConnectionOptions
    var progress: ProgressReporter
    /// Upper bound of one INSERT statement in bytes (a single larger row makes a statement of its own).
    var maxStatementBytes: Int
    /// Whether to compute checksums on a second connection sharing the snapshot.
    var concurrentChecksums: Bool
    /// Set by another dump that failed: stop early.
    var stop: StopFlag

    /// Dumps `database` into the file at `path` (written as `<path>.partial` until complete); blocking.
    func dump(database: String, to path: String) throws -> BackupManifest.Database {
        let main = try withContext("Connecting to dump database `\(database)`", database: database) {
            let connection = try Session.open(server)
            try Session.normalize(connection)
            return connection
        }
        defer { main.close() }
        let catalog = try withContext("Reading the tables of `\(database)`", database: database) {
            try SchemaCatalog.read(main, database: database)
        }

        let helper = try withContext("Starting a consistent snapshot of `\(database)`", database: database) {
            try startSnapshot(main: main, catalog: catalog)
        }
        defer { helper?.close() }

        // Checksums run on the helper connection while the main one streams rows.
        let checksumJob: BackgroundJob<[String: TableChecksum]>? = helper.map { helper in
            let handoff = Handoff(helper)
            return BackgroundJob(name: "checksum-\(database)") { [catalog, stop] in
                var sums: [String: TableChecksum] = [:]
                for table in catalog.tables {
                    if stop.isSet { break }
                    sums[table.name] = try withContext("Computing the checksum of `\(database)`.`\(table.name)`",
                                                       database: database, table: table.name) {
                        try TableChecksum.compute(handoff.value, database: database, table: table)
                    }
                }
                return sums
            }
        }

        let writer = try SQLFileWriter(path: path)
        var entry: BackupManifest.Database
        do {
            entry = try writeFile(main: main, catalog: catalog, writer: writer, checksumsInline: checksumJob == nil)
            if let checksumJob {
                let sums = try checksumJob.join()
                for i in entry.tables.indices {
                    let name = entry.tables[i].name
                    let sum = sums[name]!
                    if sum.rowCount != entry.tables[i].checksum.rowCount {
                        throw MetaDumpError(.inconsistent, action: "Dumping `\(database)`.`\(name)`",
                                            reason: "the checksum counted \(sum.rowCount) rows but the dump read \(entry.tables[i].checksum.rowCount)",
                                            database: database, table: name,
                                            remedy: "The two connections did not share one snapshot; stop OMS and retry.")
                    }
                    entry.tables[i].checksum = sum
                }
            }
            let (size, sha) = try withContext("Finishing the dump file of `\(database)`", database: database, file: path) {
                try writer.finish()
            }
            entry.file = BackupManifest.File(name: (path as NSString).lastPathComponent, size: size, sha256: sha)
        } catch {
            stop.set()
            writer.abandon()
            _ = try? checksumJob?.join()
            throw error
        }
        _ = try? main.execute("COMMIT")
        return entry
    }

    /// Starts the snapshot on `main`, and on a helper connection that shares it when allowed.
    private func startSnapshot(main: Connection, catalog: SchemaCatalog) throws -> Connection? {
        func begin(_ connection: Connection) throws {
            try connection.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            try connection.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")
        }
        guard concurrentChecksums, !catalog.tables.isEmpty else {
            try begin(main)
            return nil
        }
        // While these read locks are held no transaction can change the tables, so two
        // snapshots started under them see the same data.
        let locker = try Session.open(server)
        defer { locker.close() }
        Session.limitLockWait(locker, seconds: 30)
        let lockList = catalog.tables.map { SQL.qualified(catalog.database, $0.name) + " READ" }.joined(separator: ", ")
        do {
            try locker.execute("LOCK TABLES " + lockList)
        } catch {
            try begin(main)  // no LOCK TABLES privilege: one connection does everything
            return nil
        }
        defer { _ = try? locker.execute("UNLOCK TABLES") }
        let helper = try Session.open(server)
        do {
            try Session.normalize(helper)
            try begin(helper)
            try begin(main)
        } catch {
            helper.close()
            throw error
        }
        return helper
    }

    private func writeFile(main: Connection, catalog: SchemaCatalog, writer: SQLFileWriter, checksumsInline: Bool) throws
        -> BackupManifest.Database
    {
        let database = catalog.database
        try writer.append(header(database: database, serverVersion: main.serverVersion))
        var tables: [BackupManifest.Table] = []
        for table in catalog.tables {
            let create = try withContext("Reading the definition of `\(database)`.`\(table.name)`", database: database,
                                         table: table.name) {
                try main.showCreateTable(database, table.name)
            }
            // Without inline checksums this holds the dumped row count until the checksum job's result replaces it.
            var checksum = TableChecksum(rowCount: 0, crc32Sum: "0", reversedCRC32Sum: "0")
            if checksumsInline {
                checksum = try withContext("Computing the checksum of `\(database)`.`\(table.name)`", database: database,
                                           table: table.name) {
                    try TableChecksum.compute(main, database: database, table: table)
                }
            }
            let name = SQL.quoteIdentifier(table.name)
            try writer.append("""

                --
                -- Table structure for table \(name)
                --

                DROP TABLE IF EXISTS \(name);
                \(create);

                """)
            let rows = try withContext("Dumping the rows of `\(database)`.`\(table.name)`", database: database,
                                       table: table.name, file: writer.partialPath) {
                try dumpRows(main, catalog: catalog, table: table, writer: writer)
            }
            if checksumsInline && rows != checksum.rowCount {
                throw MetaDumpError(.inconsistent, action: "Dumping `\(database)`.`\(table.name)`",
                                    reason: "the checksum counted \(checksum.rowCount) rows but the dump read \(rows)",
                                    database: database, table: table.name,
                                    remedy: "Something changed the table outside the snapshot; stop OMS and retry.")
            }
            if !checksumsInline { checksum.rowCount = rows }
            tables.append(BackupManifest.Table(name: table.name, checksum: checksum,
                                               createSHA256: DefinitionHash.createTable(create),
                                               columns: table.storedColumns.map(\.name)))
        }

        var views: [ViewDefinition] = []
        for view in catalog.views {
            let text = try withContext("Reading the definition of view `\(database)`.`\(view)`", database: database,
                                       table: view) {
                try main.showCreateView(database, view)
            }
            views.append(ViewDefinition(name: view, showCreateView: text, database: database))
        }
        for view in ViewDefinition.dependencyOrder(views) {
            let name = SQL.quoteIdentifier(view.name)
            try writer.append("""

                --
                -- View \(name)\(view.definer.map { " (original definer \($0))" } ?? "")
                --

                DROP TABLE IF EXISTS \(name);
                DROP VIEW IF EXISTS \(name);
                \(view.statement);

                """)
        }
        try writer.append(footer(tables: tables.count, views: views.count, rows: tables.reduce(0) { $0 + $1.rowCount }))
        return BackupManifest.Database(
            name: database, characterSet: catalog.characterSet, collation: catalog.collation,
            file: BackupManifest.File(name: "", size: 0, sha256: ""), tables: tables,
            views: views.map { BackupManifest.View(name: $0.name, definer: $0.definer) })
    }

    /// Streams the rows of one table as extended INSERTs; returns the number of rows.
    private func dumpRows(_ connection: Connection, catalog: SchemaCatalog, table: TableInfo, writer: SQLFileWriter) throws
        -> Int64
    {
        let columns = table.storedColumns
        let columnList = columns.map { SQL.quoteIdentifier($0.name) }.joined(separator: ",")
        let prefix = Array("INSERT INTO \(SQL.quoteIdentifier(table.name)) (\(columnList)) VALUES ".utf8)
        let select = "SELECT \(columnList) FROM \(SQL.qualified(catalog.database, table.name))"
        let task = progress.task("dump \(catalog.database).\(table.name)", total: max(table.estimatedRows, 0), unit: .items)
        var styles: [LiteralStyle] = []
        var rows: Int64 = 0
        var statementStart: Int64? = nil
        var reported: Int64 = 0
        let limit = Int64(maxStatementBytes)
        let stop = self.stop
        try connection.streamRaw(select) { resultColumns, row in
            if styles.isEmpty { styles = resultColumns.map(LiteralStyle.of) }
            var bound: Int64 = 2
            for i in 0..<row.count { bound += Int64((row[i]?.count ?? 0) * 2 + 5) }
            if let start = statementStart, writer.bytesWritten - start + bound > limit {
                try writer.append(0x3B)  // ;
                try writer.append(0x0A)
                statementStart = nil
            }
            if statementStart == nil {
                statementStart = writer.bytesWritten
                try prefix.withUnsafeBytes { try writer.append($0) }
            } else {
                try writer.append(0x2C)  // ,
            }
            try writer.append(0x28)  // (
            for i in 0..<row.count {
                if i > 0 { try writer.append(0x2C) }
                try SQLLiteral.append(row[i], style: styles[i], to: writer)
            }
            try writer.append(0x29)  // )
            rows += 1
            if rows & 0x1FFF == 0 {
                task.advance(by: rows - reported)
                reported = rows
                if stop.isSet {
                    throw MetaDumpError(.inconsistent, action: "Dumping `\(catalog.database)`.`\(table.name)`",
                                        reason: "stopped because another part of the backup failed")
                }
            }
        }
        if statementStart != nil {
            try writer.append(0x3B)
            try writer.append(0x0A)
        }
        task.advance(by: rows - reported)
        task.finish("\(rows) rows")
        return rows
    }

    private func header(database: String, serverVersion: String) -> String {
        """
        -- oms-upgrade native dump of database \(SQL.quoteIdentifier(database))
        -- Server version: \(serverVersion)
        -- Dump started: \(ISO8601DateFormatter().string(from: Date()))
        -- Restore with: mariadb <database> < this-file   (or: mysql <database> < this-file)

        /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
        /*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
        /*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
        /*!40101 SET NAMES utf8mb4 */;
        /*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
        /*!40103 SET TIME_ZONE='+00:00' */;
        /*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
        /*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
        /*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
        /*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

        """
    }

    private func footer(tables: Int, views: Int, rows: Int64) -> String {
        """

        /*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
        /*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
        /*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
        /*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
        /*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
        /*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
        /*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
        /*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

        -- Dump completed: \(tables) tables, \(views) views, \(rows) rows

        """
    }
}
