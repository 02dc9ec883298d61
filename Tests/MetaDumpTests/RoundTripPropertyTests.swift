import Foundation
import MetaDB
import MetaDump
import PropertyBased
import SandboxSupport
import Testing

/// restore(backup(db)) equals db, for both dumpers, and the stock client restores a native dump.
@Suite(.integration, .tags(.mariadb)) struct RoundTripPropertyTests {
    typealias Row = (picks: [Int], text: String, bytes: [UInt8])

    static let rowGenerator = zip(
        Gen<Int>.int(in: 0...10_000).array(of: HostileTable.columns.count),
        // Any scalar, 4-byte UTF-8 included; surrogate code points are not scalars and become U+FFFD.
        Gen<UInt32>.uint32(in: 0...0x10FFFF).map { Unicode.Scalar($0) ?? "\u{FFFD}" }.array(of: 0...24)
            .map { String(String.UnicodeScalarView($0)) },
        Gen<UInt8>.uint8().array(of: 0...64))

    /// Everything a database holds that must survive: definitions and rows, as text.
    static func contents(of db: String, server: MetadataServer = .mariadb) throws -> [String: [String]] {
        let connection = try TestServer.connect(database: db, server: server)
        defer { connection.close() }
        try connection.execute("SET time_zone = '+00:00'")
        var out: [String: [String]] = [:]
        // Not SHOW FULL TABLES: the OceanBase kernel answers it with a syntax error (1064) in a database whose
        // name holds a backtick (it writes the name unescaped into the column alias `Tables_in_…` of its query).
        for row in try connection.query(
            "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        ).rows {
            let name = row[0].string!
            if row[1].string == "VIEW" {
                out["view " + name] = [
                    try connection.query("SHOW CREATE VIEW \(SQL.quoteIdentifier(name))").rows[0][1].string!
                        .replacing(#/DEFINER=`[^`]*`@`[^`]*` /#, with: "")
                ]
            } else {
                out["table " + name] = [
                    try connection.query("SHOW CREATE TABLE \(SQL.quoteIdentifier(name))").rows[0][1].string!
                ]
                out["rows " + name] = try connection.query("SELECT * FROM \(SQL.quoteIdentifier(name))").rows
                    .map { $0.values.map { $0.bytes.map { SQL.hexLiteral($0) } ?? "NULL" }.joined(separator: ",") }
                    .sorted()
            }
        }
        return out
    }

    static func seed(_ db: String, rows: [Row]) throws {
        try TestServer.run(["CREATE DATABASE `\(db)` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"])
        var statements = [
            "SET SESSION sql_mode = ''", "SET SESSION time_zone = '+00:00'",
            HostileTable.createTable("hostile"),
            "CREATE TABLE `we``ird; name` (`col umn` varchar(20), `select` int, PRIMARY KEY (`select`)) DEFAULT CHARSET=latin1",
            "CREATE TABLE nokey (a text, b blob)",
            "CREATE TABLE empty_one (id bigint unsigned AUTO_INCREMENT PRIMARY KEY) AUTO_INCREMENT=77",
            "CREATE VIEW v_hostile AS SELECT id, vc, js FROM hostile WHERE id % 2 = 1",
        ]
        for (index, row) in rows.enumerated() {
            statements.append(HostileTable.insert("hostile", picks: row.picks, text: row.text, bytes: row.bytes))
            statements.append("INSERT INTO `we``ird; name` VALUES (\(SQL.quoteString(row.text)), \(index))")
            statements.append("INSERT INTO nokey VALUES (\(SQL.quoteString(row.text)), \(SQL.hexLiteral(row.bytes)))")
        }
        statements.append("INSERT INTO nokey VALUES (NULL, NULL), ('', '')")
        try TestServer.run(statements, database: db)
    }

    @Test func restoreOfBackupEqualsTheOriginal() async throws {
        let server = try TestServer.options()
        await propertyCheck(count: 16, input: Self.rowGenerator.array(of: 0...6)) { rows in
            let db = Sandbox.uniqueName("md_prop")
            defer { TestServer.dropDatabases(startingWith: [db]) }
            do {
                try Self.seed(db, rows: rows)
                let original = try Self.contents(of: db)
                let sums = try await DatabaseChecksums.compute(server: server, database: db)
                for dumper in BackupDumper.allCases {
                    let dir = try TestServer.backupDirectory("p")
                    let manifest = try await Backup(server: server, databases: [db], directory: dir, dumper: dumper)
                        .run()
                    #expect(manifest.databases[0].tables.count == 4)
                    #expect(await BackupVerifier().verify(dir).problems == [])
                    let target = db + "_" + String(dumper.rawValue.prefix(3))
                    _ = try await Restorer(server: server).restore(from: dir, into: .renamed([db: target]))
                    #expect(try Self.contents(of: target) == original, "\(dumper) restore differs")
                    #expect(try await DatabaseChecksums.compute(server: server, database: target) == sums)

                    if dumper == .native {
                        // The stock client restores the native file too.
                        let stock = db + "_cli"
                        try TestServer.run([
                            "CREATE DATABASE `\(stock)` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                        ])
                        let defaults = try DefaultsFile(server: server)
                        defer { defaults.remove() }
                        let sql = try String(
                            contentsOfFile: dir + "/" + manifest.databases[0].file.name, encoding: .utf8)
                        let result = try Sandbox.run("mariadb", [defaults.argument, stock], stdin: sql)
                        #expect(result.status == 0, "mariadb < file: \(result.stderr)")
                        #expect(try Self.contents(of: stock) == original, "stock client restore differs")
                    }
                }
            } catch {
                Issue.record(error)
            }
        }
    }
}
