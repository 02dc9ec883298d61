import BlockingWork
import Foundation
import MetaDB
import Synchronization
import TerminalProgress

/// MetaDump's own dumper: one consistent snapshot per database, streamed straight into SQL bytes.
///
/// Rows are read with `mysql_use_result` (``MetaDB/Connection/streamRaw(_:_:)``)
/// and encoded directly into the file buffer: numbers as the server's text,
/// text quoted with backslash escapes, binary/BLOB/BIT/GEOMETRY as hex, JSON as
/// a string. Generated columns are left out of explicit column lists. The
/// manifest's checksum comes from the same statement as the rows: the server
/// computes the two per-row hashes of ``TableChecksum`` beside each row's
/// columns and the dumper adds them up, so dump and checksum describe the same
/// snapshot by construction and the table is scanned once.
struct NativeDumper: Sendable {
    /// The dumper's version, recorded in manifests.
    static let version = "oms-upgrade native dumper 1"

    var server: ConnectionOptions
    var progress: ProgressReporter
    /// Upper bound of one INSERT statement in bytes (a single larger row makes a statement of its own).
    var maxStatementBytes: Int
    /// Set by another dump that failed, or when the backup is cancelled: stop early.
    var stop: StopFlag
    /// Tables left out of every dump (e.g. a snapshot database's bookkeeping tables).
    var skipTables: Set<String> = []

    /// Dumps `database` into the file at `path` (written as `<path>.partial` until complete); blocking.
    ///
    /// `objects` are the views, triggers, routines and events to write; nil reads those of `database` itself
    /// (a snapshot database has none: its objects are captured from the live database at the stop).
    func dump(database: String, to path: String, objects: [ObjectDefinition]? = nil) throws
        -> BackupManifest.Database
    {
        let connection = try withContext("Connecting to dump database `\(database)`", database: database) {
            let connection = try Session.open(server)
            try Session.normalize(connection)
            return connection
        }
        defer { connection.close() }
        var catalog = try withContext("Reading the tables of `\(database)`", database: database) {
            try SchemaCatalog.read(connection, database: database)
        }
        catalog.tables.removeAll { skipTables.contains($0.name) }
        try withContext("Starting a consistent snapshot of `\(database)`", database: database) {
            try connection.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            try connection.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")
        }
        let writer = try SQLFileWriter(path: path)
        var entry: BackupManifest.Database
        do {
            let objects =
                try objects
                ?? withContext("Reading the views, triggers and routines of `\(database)`") {
                    try ObjectDefinition.all(connection, in: database)
                }
            entry = try writeFile(connection, catalog: catalog, objects: objects, writer: writer)
            let (size, sha) = try withContext(
                "Finishing the dump file of `\(database)`", database: database, file: path
            ) {
                try writer.finish()
            }
            entry.file = BackupManifest.File(name: (path as NSString).lastPathComponent, size: size, sha256: sha)
        } catch {
            stop.set()
            writer.abandon()
            throw error
        }
        _ = try? connection.execute("COMMIT")
        return entry
    }

    private func writeFile(
        _ connection: Connection, catalog: SchemaCatalog, objects: [ObjectDefinition], writer: SQLFileWriter
    ) throws
        -> BackupManifest.Database
    {
        let database = catalog.database
        try writer.append(header(database: database, serverVersion: connection.serverVersion))
        var tables: [BackupManifest.Table] = []
        for table in catalog.tables {
            let create = try withContext(
                "Reading the definition of `\(database)`.`\(table.name)`", database: database,
                table: table.name
            ) {
                try connection.showCreateTable(database, table.name)
            }
            let name = SQL.quoteIdentifier(table.name)
            try writer.append(
                """

                --
                -- Table structure for table \(SQLComment.identifier(table.name))
                --

                DROP TABLE IF EXISTS \(name);
                \(create);

                """)
            let checksum = try withContext(
                "Dumping the rows of `\(database)`.`\(table.name)`", database: database,
                table: table.name, file: writer.partialPath
            ) {
                try dumpRows(connection, catalog: catalog, table: table, writer: writer)
            }
            tables.append(
                BackupManifest.Table(
                    name: table.name, checksum: checksum,
                    createSHA256: DefinitionHash.createTable(create),
                    columns: table.storedColumns.map(\.name)))
        }

        // Routines first (a view may call a function), then views in dependency order, then triggers
        // (after the rows, as mysqldump does, so that loading the rows does not fire them), events last.
        let ordered = ObjectDefinition.creationOrder(objects)
        for object in ordered { try writer.append(Self.objectText(object)) }
        try writer.append(
            footer(tables: tables.count, objects: ordered.count, rows: tables.reduce(0) { $0 + $1.rowCount }))
        return BackupManifest.Database(
            name: database, characterSet: catalog.characterSet, collation: catalog.collation,
            file: BackupManifest.File(name: "", size: 0, sha256: ""), tables: tables,
            views: ordered.filter { $0.kind == .view }.map { BackupManifest.View(name: $0.name, definer: $0.definer) },
            objects: ordered.map(BackupManifest.Object.init))
    }

    /// Streams the rows of one table as extended INSERTs and returns the table's checksum.
    ///
    /// The SELECT returns the stored columns and then the two per-row hashes,
    /// which are summed here and not written.
    private func dumpRows(_ connection: Connection, catalog: SchemaCatalog, table: TableInfo, writer: SQLFileWriter)
        throws
        -> TableChecksum
    {
        let columns = table.storedColumns
        let columnList = columns.map { SQL.quoteIdentifier($0.name) }.joined(separator: ",")
        // Keep statements well inside the server's packet limit, whatever was asked for.
        let packet =
            (try? connection.int64("SELECT @@max_allowed_packet")).flatMap { $0 } ?? Int64(maxStatementBytes) * 2
        let prefix = Array("INSERT INTO \(SQL.quoteIdentifier(table.name)) (\(columnList)) VALUES ".utf8)
        let hashes = TableChecksum.rowHashes(columns)
        let select =
            "SELECT \(columnList), \(hashes.crc), \(hashes.reversed) FROM \(SQL.qualified(catalog.database, table.name))"
        let task = progress.task(
            "dump \(catalog.database).\(table.name)", total: max(table.estimatedRows, 0), unit: .items)
        let valueCount = columns.count
        var styles: [LiteralStyle] = []
        var rows: Int64 = 0
        var crcSum: UInt128 = 0
        var reversedSum: UInt128 = 0
        var statementStart: Int64? = nil
        var reported: Int64 = 0
        let limit = min(Int64(maxStatementBytes), max(packet / 2, 16 << 10))
        let stop = self.stop
        try connection.streamRaw(select) { resultColumns, row in
            if styles.isEmpty { styles = resultColumns.prefix(valueCount).map(LiteralStyle.of) }
            crcSum += UInt128(Self.parseUnsigned(row[valueCount]))
            reversedSum += UInt128(Self.parseUnsigned(row[valueCount + 1]))
            var bound: Int64 = 2
            for i in 0..<valueCount { bound += Int64((row[i]?.count ?? 0) * 2 + 5) }
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
            for i in 0..<valueCount {
                if i > 0 { try writer.append(0x2C) }
                try SQLLiteral.append(row[i], style: styles[i], to: writer)
            }
            try writer.append(0x29)  // )
            rows += 1
            if rows & 0x1FFF == 0 {
                task.advance(by: rows - reported)
                reported = rows
                if stop.isSet {
                    throw MetaDumpError(
                        .inconsistent, action: "Dumping `\(catalog.database)`.`\(table.name)`",
                        reason: "stopped because another part of the backup failed or the backup was interrupted")
                }
            }
        }
        if statementStart != nil {
            try writer.append(0x3B)
            try writer.append(0x0A)
        }
        task.advance(by: rows - reported)
        task.finish("\(rows) rows")
        return TableChecksum(rowCount: rows, crc32Sum: String(crcSum), reversedCRC32Sum: String(reversedSum))
    }

    /// A trigger's sql_mode as only mode names and commas can be: nothing else reaches the file.
    static func modeList(_ mode: String) -> String { ObjectDefinition.modeList(mode) }

    /// The statements that create `object` under its own settings and put the file's settings back.
    ///
    /// The client character set is the object's when the text reads the same in it (ASCII, or a UTF-8
    /// character set), so that the server stores what it stored before; names are written escaped in
    /// comments and as the server quoted them in statements.
    static func objectText(_ object: ObjectDefinition) -> String {
        let name = SQL.quoteIdentifier(object.name)
        let title =
            switch object.kind {
            case .view: "View"
            case .trigger: "Trigger"
            case .procedure: "Procedure"
            case .function: "Function"
            case .event: "Event"
            }
        var text = "\n--\n-- \(title) \(SQLComment.identifier(object.name))"
        if let definer = object.definer { text += " (definer \(SQLComment.text(definer)))" }
        text += "\n--\n\n"
        switch object.kind {
        case .view: text += "DROP TABLE IF EXISTS \(name);\nDROP VIEW IF EXISTS \(name);\n"
        default: text += "DROP \(object.kind.keyword) IF EXISTS \(name);\n"
        }
        let client = object.characterSetClient.map(ObjectDefinition.word) ?? ""
        let ascii = object.statement.utf8.allSatisfy { $0 < 0x80 }
        if !client.isEmpty && (ascii || client.hasPrefix("utf8")) {
            text += "SET character_set_client = \(client);\n"
        }
        if let collation = object.collationConnection.map(ObjectDefinition.word), !collation.isEmpty {
            text += "SET collation_connection = \(collation);\n"
        }
        if let mode = object.sqlMode { text += "SET SESSION SQL_MODE='\(modeList(mode))';\n" }
        if let zone = object.timeZone.map(timeZoneText), !zone.isEmpty { text += "SET TIME_ZONE='\(zone)';\n" }
        text += "DELIMITER ;;\n\(object.statement) ;;\nDELIMITER ;\n"
        text += "SET NAMES utf8mb4;\nSET SESSION SQL_MODE='NO_AUTO_VALUE_ON_ZERO';\nSET TIME_ZONE='+00:00';\n"
        return text
    }

    /// A time zone as only the characters of zone names and offsets can be.
    static func timeZoneText(_ zone: String) -> String {
        zone.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "+-:/_".contains($0)) }
    }

    /// The decimal digits of a CRC32 value as the server sent them (NULL counts as 0, as SUM ignores it).
    @inline(__always)
    static func parseUnsigned(_ bytes: UnsafeRawBufferPointer?) -> UInt64 {
        guard let bytes else { return 0 }
        var value: UInt64 = 0
        for byte in bytes where byte >= 0x30 && byte <= 0x39 {
            value = value &* 10 &+ UInt64(byte - 0x30)
        }
        return value
    }

    private func header(database: String, serverVersion: String) -> String {
        """
        /*M!999999\\- enable the sandbox mode */
        -- oms-upgrade native dump of database \(SQLComment.identifier(database))
        -- Server version: \(SQLComment.text(serverVersion))
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

    private func footer(tables: Int, objects: Int, rows: Int64) -> String {
        """

        /*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
        /*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
        /*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
        /*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
        /*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
        /*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
        /*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
        /*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

        -- Dump completed: \(tables) tables, \(objects) views, triggers, routines and events, \(rows) rows

        """
    }
}
