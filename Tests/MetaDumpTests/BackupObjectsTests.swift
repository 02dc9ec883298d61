import Foundation
import MetaDB
import SandboxSupport
import Testing

@testable import MetaDump

/// A backup holds every view, trigger, procedure, function and event of a database; verify checks them and
/// restore recreates them exactly, in dependency order, refusing a definer the target lacks before writing.
/// Every test runs on both metadata servers.
@Suite("backup objects", .integration, .tags(.mariadb)) struct BackupObjectsTests {
    /// A database with a generated column, a keyless table, a function, a procedure, a view that calls the
    /// function, a view over that view, a trigger and an event (no event on the OceanBase kernel: see
    /// ``objectKinds(_:)``).
    static func makeDatabase(_ db: String, server: MetadataServer) throws {
        try TestServer.run(["CREATE DATABASE `\(db)`"], server: server)
        try TestServer.run(
            [
                "CREATE TABLE t (id bigint AUTO_INCREMENT PRIMARY KEY, a int, g int AS (a * 2) STORED, note varchar(20))",
                "CREATE TABLE keyless (x int, y varchar(10))",
                "INSERT INTO t (a, note) VALUES (1, 'one'), (2, 'two'), (NULL, 'ünï')",
                "INSERT INTO keyless VALUES (1, 'a'), (1, 'a'), (NULL, NULL)",
                "CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC RETURN x * 2",
                "CREATE PROCEDURE count_t(OUT n int) BEGIN SELECT COUNT(*) INTO n FROM t; SELECT ';;' INTO @s; END",
                "CREATE VIEW v_t AS SELECT id, twice(a) AS a2, g FROM t",
                "CREATE VIEW v_over AS SELECT id FROM v_t WHERE a2 > 0",
            ], database: db, server: server)
        try TestServer.createTrigger(
            "CREATE TRIGGER t_note BEFORE INSERT ON t FOR EACH ROW SET NEW.note = CONCAT('t:', NEW.note)",
            name: "t_note", database: db, server: server)
        if objectKinds(server).contains(.event) {
            try TestServer.run(
                ["CREATE EVENT e_purge ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM keyless WHERE x IS NULL"],
                database: db, server: server)
        }
    }

    /// The kinds of object `server` has: the OceanBase kernel has no events (no `CREATE EVENT`, no
    /// `information_schema.EVENTS`: error 1109), so its databases hold none.
    static func objectKinds(_ server: MetadataServer) -> Set<ObjectDefinition.Kind> {
        let all = Set(ObjectDefinition.Kind.allCases)
        return server == .oceanbase ? all.subtracting([.event]) : all
    }

    @Test(
        "every dumper backs up, verifies and restores the objects; the copy has the same objects and rows",
        arguments: MetadataServer.allCases)
    func roundTrip(_ metadataServer: MetadataServer) async throws {
        let db = Sandbox.uniqueName("md_obj")
        defer { TestServer.dropDatabases(startingWith: [db], server: metadataServer) }
        try Self.makeDatabase(db, server: metadataServer)
        let server = try TestServer.options(metadataServer)
        let connection = try TestServer.connect(server: metadataServer)
        defer { connection.close() }
        let original = try ObjectDefinition.all(connection, in: db)
        #expect(Set(original.map(\.kind)) == Self.objectKinds(metadataServer), "\(original.map(\.name))")
        for dumper in BackupDumper.allCases {
            let dir = try TestServer.backupDirectory("b-\(dumper)")
            if metadataServer == .oceanbase && dumper == .mysqldump {
                // mariadb-dump writes the generated column's values, which the OceanBase kernel refuses to
                // load (3105): the mysqldump dumper refuses such a database there, before writing anything.
                await #expect {
                    _ = try await Backup(server: server, databases: [db], directory: dir, dumper: dumper).run()
                } throws: { error in
                    "\(error)".contains("generated columns") && "\(error)".contains("`t`.`g`")
                }
                #expect(!FileManager.default.fileExists(atPath: dir))
                continue
            }
            let manifest = try await Backup(server: server, databases: [db], directory: dir, dumper: dumper).run()
            let objects = try #require(manifest.databases[0].objects)
            #expect(objects.map(\.name).sorted() == original.map(\.name).sorted(), "\(dumper)")
            #expect(RestoreCheck.objectProblems(original, expected: objects).isEmpty, "\(dumper)")
            #expect(await BackupVerifier().verify(dir).problems == [], "\(dumper)")

            let copy = db + "_r" + (dumper == .native ? "n" : "m")
            _ = try await Restorer(server: server).restore(from: dir, into: .renamed([db: copy]))
            let restored = try ObjectDefinition.all(connection, in: copy)
            #expect(RestoreCheck.objectProblems(restored, expected: objects) == [], "\(dumper)")
            #expect(
                try await DatabaseChecksums.compute(server: server, database: copy)
                    == DatabaseChecksums.compute(server: server, database: db), "\(dumper)")
            // The objects work in the copy, on the copy's tables.
            try connection.execute("USE \(SQL.quoteIdentifier(copy))")
            try connection.execute("INSERT INTO t (a, note) VALUES (5, 'x')")
            #expect(try connection.scalar("SELECT note FROM t WHERE a = 5").string == "t:x", "\(dumper)")
            #expect(try connection.scalar("SELECT g FROM t WHERE a = 5").int64 == 10, "\(dumper)")
            #expect(try connection.scalar("SELECT COUNT(*) FROM v_over").int64 == 3, "\(dumper)")
            try connection.execute("CALL count_t(@n)")
            #expect(try connection.scalar("SELECT @n").int64 == 4, "\(dumper)")

            // A forced restore over the changed copy gives back the backup's objects exactly, the old ones aside.
            try connection.execute("DROP VIEW v_over")
            // A routine of the longest name: its quarantined definition is keyed "procedure <64 characters>".
            try connection.execute("CREATE PROCEDURE `\(String(repeating: "s", count: 64))`() SELECT 1")
            _ = try await Restorer(server: server).restore(from: dir, into: .renamed([db: copy]), force: true)
            #expect(
                RestoreCheck.objectProblems(try ObjectDefinition.all(connection, in: copy), expected: objects) == [],
                "\(dumper)")
            try connection.execute("USE \(SQL.quoteIdentifier(db))")
        }
    }

    @Test("the tool's own change-capture triggers are never part of a backup", arguments: MetadataServer.allCases)
    func captureTriggersLeftOut(_ metadataServer: MetadataServer) async throws {
        let db = Sandbox.uniqueName("md_objcc")
        defer { TestServer.dropDatabases(startingWith: [db], server: metadataServer) }
        try TestServer.run(
            ["CREATE DATABASE `\(db)`", "CREATE TABLE `\(db)`.t (id int PRIMARY KEY)"], server: metadataServer)
        try TestServer.createTrigger(
            "CREATE TRIGGER oms_cc_x_1_i AFTER INSERT ON t FOR EACH ROW SET @x = 1", name: "oms_cc_x_1_i",
            database: db, server: metadataServer)
        let dir = try TestServer.backupDirectory("b")
        let manifest = try await Backup(
            server: try TestServer.options(metadataServer), databases: [db], directory: dir
        ).run()
        #expect(manifest.databases[0].objects == [])
        let text = try String(contentsOfFile: dir + "/" + manifest.databases[0].file.name, encoding: .utf8)
        #expect(!text.contains("oms_cc_"))
    }

    @Test(
        "one read of several databases gives each exactly its own objects, as a read of it alone does",
        arguments: MetadataServer.allCases)
    func severalDatabasesAtOnce(_ metadataServer: MetadataServer) async throws {
        let first = Sandbox.uniqueName("md_objm")
        let second = first + "_two"
        let empty = first + "_none"
        defer { TestServer.dropDatabases(startingWith: [first], server: metadataServer) }
        try Self.makeDatabase(first, server: metadataServer)
        try Self.makeDatabase(second, server: metadataServer)
        try TestServer.run(["CREATE VIEW v_second AS SELECT id FROM t"], database: second, server: metadataServer)
        try TestServer.createTrigger(
            "CREATE TRIGGER oms_cc_y_1_i AFTER INSERT ON t FOR EACH ROW SET @y = 1", name: "oms_cc_y_1_i",
            database: second, server: metadataServer)
        try TestServer.run(["CREATE DATABASE `\(empty)`"], server: metadataServer)
        let connection = try TestServer.connect(server: metadataServer)
        defer { connection.close() }
        let together = try ObjectDefinition.all(connection, in: [first, second, empty])
        #expect(Set(together.keys) == [first, second, empty])
        #expect(together[empty] == [])
        #expect(Set(together[first]?.map(\.kind) ?? []) == Self.objectKinds(metadataServer))
        #expect(together[second]?.map(\.name).contains("v_second") == true)
        #expect(together[first]?.map(\.name).contains("v_second") == false)
        #expect(together.values.joined().allSatisfy { !$0.name.hasPrefix(ObjectDefinition.captureTriggerPrefix) })
        #expect((together[second]?.count ?? 0) == (together[first]?.count ?? 0) + 1)
        // One database read alone (one query per kind for it) gives the same objects in the same order.
        for database in [first, second, empty] {
            let alone = try await RestoreCheck.objects(
                server: try TestServer.options(metadataServer), database: database)
            #expect(alone == together[database])
        }
        // Asked for in another case than it is named (the OceanBase kernel folds names), a database still
        // gets its own objects.
        if metadataServer == .oceanbase {
            let upper = try ObjectDefinition.all(connection, in: [second.uppercased()])
            #expect(upper[second.uppercased()]?.map(\.name).contains("v_second") == true)
        }
    }

    @Test(
        "a definer missing on the target is reported before anything is written, with the remedy",
        arguments: MetadataServer.allCases)
    func missingDefiner(_ metadataServer: MetadataServer) async throws {
        let db = Sandbox.uniqueName("md_objdef")
        defer { TestServer.dropDatabases(startingWith: [db], server: metadataServer) }
        try Self.makeDatabase(db, server: metadataServer)
        let server = try TestServer.options(metadataServer)
        let dir = try TestServer.backupDirectory("b")
        _ = try await Backup(server: server, databases: [db], directory: dir).run()
        // The manifest is not covered by a checksum of its own: name an account the server does not have.
        let path = dir + "/" + BackupManifest.fileName
        var manifest = try BackupManifest.read(from: dir)
        manifest.databases[0].objects?[0].definer = "nobody_\(db)@nowhere"
        try FileManager.default.removeItem(atPath: path)
        try manifest.write(to: dir)
        let target = db + "_r"
        do {
            _ = try await Restorer(server: server).restore(from: dir, into: .renamed([db: target]))
            Issue.record("the restore went ahead")
        } catch let error as MetaDumpError {
            #expect(error.kind == .refused)
            #expect("\(error)".contains("'nobody_\(db)'@'nowhere'"), "\(error)")
            #expect("\(error)".contains("CREATE USER"), "\(error)")
        }
        let connection = try TestServer.connect(server: metadataServer)
        defer { connection.close() }
        #expect(try !connection.databaseExists(target), "nothing was written")
    }
}
