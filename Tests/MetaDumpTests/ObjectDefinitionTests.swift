import Foundation
import Testing

@testable import MetaDump

/// Pure logic of a backup's views, triggers, routines and events: creation order, the manifest's entries,
/// and the statements the native dumper writes for them (which verify must accept and restore may run).
@Suite struct ObjectDefinitionTests {
    static func object(
        _ kind: ObjectDefinition.Kind, _ name: String, _ statement: String, definer: String? = "`app`@`%`"
    ) -> ObjectDefinition {
        ObjectDefinition(
            kind: kind, name: name, statement: statement, sqlMode: kind == .view ? nil : "STRICT_TRANS_TABLES",
            characterSetClient: "utf8mb4", collationConnection: "utf8mb4_general_ci",
            timeZone: kind == .event ? "SYSTEM" : nil, definer: definer.map { _ in "app@%" },
            table: kind == .trigger ? "t" : nil)
    }

    static let objects: [ObjectDefinition] = [
        object(.event, "e", "CREATE DEFINER=`app`@`%` EVENT `e` ON SCHEDULE EVERY 1 DAY DO DELETE FROM `t`"),
        object(.trigger, "tr", "CREATE DEFINER=`app`@`%` TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH ROW SET NEW.a = 1"),
        object(
            .view, "v2",
            "CREATE ALGORITHM=UNDEFINED DEFINER=`app`@`%` SQL SECURITY DEFINER VIEW `v2` AS select `v1`.`a` AS `a` from `v1`"
        ),
        object(
            .view, "v1",
            "CREATE ALGORITHM=UNDEFINED DEFINER=`app`@`%` SQL SECURITY DEFINER VIEW `v1` AS select `f`(`t`.`a`) AS `a` from `t`"
        ),
        object(.function, "f", "CREATE DEFINER=`app`@`%` FUNCTION `f`(x int) RETURNS int DETERMINISTIC RETURN x + 1"),
        object(.procedure, "p", "CREATE DEFINER=`app`@`%` PROCEDURE `p`()\nBEGIN\n  SELECT 1; SELECT ';;' AS s;\nEND"),
    ]

    @Test("creation order: routines (a view may call a function), views after the views they use, triggers, events")
    func creationOrder() {
        let ordered = ObjectDefinition.creationOrder(Self.objects).map(\.name)
        #expect(ordered.count == Self.objects.count)
        #expect(Set(ordered.prefix(2)) == ["f", "p"])
        #expect(Array(ordered.dropFirst(2)) == ["v1", "v2", "tr", "e"])
    }

    @Test("a view over a view comes after it whatever the input order; a cycle keeps every view")
    func viewOverView() {
        let a = Self.object(.view, "a", "CREATE VIEW `a` AS select 1 AS `x` from `b`")
        let b = Self.object(.view, "b", "CREATE VIEW `b` AS select 1 AS `x` from `c`")
        let c = Self.object(.view, "c", "CREATE VIEW `c` AS select 1 AS `x`")
        #expect(ObjectDefinition.creationOrder([a, b, c]).map(\.name) == ["c", "b", "a"])
        let loop = Self.object(.view, "c", "CREATE VIEW `c` AS select 1 AS `x` from `a`")
        #expect(Set(ObjectDefinition.creationOrder([a, b, loop]).map(\.name)) == ["a", "b", "c"])
    }

    @Test("the manifest records every object with its definer, settings and checksum, and reads back equal")
    func manifestRoundTrip() throws {
        let database = BackupManifest.Database(
            name: "rm", characterSet: "utf8mb4", collation: "utf8mb4_general_ci",
            file: BackupManifest.File(name: "rm.sql", size: 1, sha256: "00"), tables: [], views: [],
            objects: ObjectDefinition.creationOrder(Self.objects).map(BackupManifest.Object.init))
        let manifest = BackupManifest(
            formatVersion: BackupManifest.currentFormat, tool: "oms-upgrade", toolVersion: "1", dumper: .native,
            dumperVersion: "x", server: "u@h:1", serverVersion: "10.11", checksumAlgorithm: TableChecksum.algorithm,
            startedAt: Date(timeIntervalSince1970: 1_700_000_000),
            finishedAt: Date(timeIntervalSince1970: 1_700_000_001),
            durationSeconds: 1, databases: [database])
        let data = try BackupManifest.encoder.encode(manifest)
        let read = try BackupManifest.decoder.decode(BackupManifest.self, from: data)
        #expect(read == manifest)
        let procedure = try #require(read.databases[0].objects?.first { $0.name == "p" })
        #expect(procedure.kind == .procedure)
        #expect(procedure.definer == "app@%")
        #expect(procedure.sqlMode == "STRICT_TRANS_TABLES")
        #expect(procedure.sha256 == Self.objects[5].sha256)
        #expect(read.objectSummary == "2 views, 1 trigger, 1 procedure, 1 function, 1 event")
    }

    @Test("a manifest written before objects were recorded still reads (objects nil)")
    func olderManifest() throws {
        let json = """
            {"checksumAlgorithm":"\(TableChecksum.algorithm)","databases":[{"characterSet":"utf8mb4","collation":"x",
            "file":{"name":"rm.sql","sha256":"00","size":1},"name":"rm","tables":[],"views":[{"name":"v"}]}],
            "dumper":"native","dumperVersion":"x","durationSeconds":1,"finishedAt":"2024-01-01T00:00:00Z",
            "formatVersion":1,"server":"u@h:1","serverVersion":"10","startedAt":"2024-01-01T00:00:00Z",
            "tool":"oms-upgrade","toolVersion":"1"}
            """
        let manifest = try BackupManifest.decoder.decode(BackupManifest.self, from: Data(json.utf8))
        #expect(manifest.databases[0].objects == nil)
        #expect(manifest.objectSummary == "1 view")
    }

    @Test(
        "the statements written for each object have shapes the native dumper writes, and the CREATE hashes as recorded"
    )
    func statementShapes() {
        for object in Self.objects {
            let text = NativeDumper.objectText(object)
            var scanner = SQLStatementScanner(collectText: true)
            var statements: [ScannedStatement] = []
            Array(text.utf8).withUnsafeBytes { scanner.feed($0) { statements.append($0) } }
            scanner.finish { statements.append($0) }
            #expect(statements.allSatisfy { $0.shape.isNative }, "\(object.name): \(statements.map(\.shape))")
            let creates = statements.filter {
                switch $0.shape {
                case .createView(let n), .createTrigger(let n), .createRoutine(let n): n == object.name
                default: false
                }
            }
            #expect(creates.count == 1, "\(object.name): \(statements.map(\.shape))")
            if let create = creates.first {
                #expect(
                    ObjectDefinition.statementHash(String(decoding: create.text, as: UTF8.self)) == object.sha256,
                    "verify recomputes the manifest's checksum from the file")
            }
            let drops = statements.filter {
                switch $0.shape {
                case .dropRoutine(let n), .dropView(let n): n == object.name
                default: false
                }
            }
            #expect(drops.count == 1, "\(object.name): \(statements.map(\.shape))")
        }
    }

    @Test("settings and names that could become code are reduced to what such names can hold")
    func hostileSettings() {
        var object = Self.object(.event, "e", "CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DO SELECT 1")
        object.sqlMode = "ANSI';DROP DATABASE x;--"
        object.timeZone = "+08:00'; DROP DATABASE x; --"
        object.characterSetClient = "utf8mb4; DROP DATABASE x"
        let text = NativeDumper.objectText(object)
        #expect(!text.contains("DROP DATABASE x"), "\(text)")
        #expect(!text.contains("'; "), "\(text)")
    }

    @Test("restore's object comparison names what is missing, changed or extra")
    func objectProblems() {
        let expected = Self.objects.map(BackupManifest.Object.init)
        #expect(RestoreCheck.objectProblems(Self.objects, expected: expected).isEmpty)
        var changed = Self.objects
        changed[5].statement += " -- changed"
        changed.removeFirst()
        changed.append(Self.object(.view, "extra", "CREATE VIEW `extra` AS select 1 AS `x`"))
        let problems = RestoreCheck.objectProblems(changed, expected: expected)
        #expect(problems.contains("event `e` is missing"))
        #expect(problems.contains("procedure `p` has another definition than in the backup"))
        #expect(problems.contains("view `extra` is not in the backup"))
        #expect(problems.count == 3)
    }

    @Test("a view name's backtick left single by the OceanBase kernel is doubled; MariaDB's text stays as it is")
    func viewNameBacktickRequoted() {
        let oceanBase = "CREATE VIEW `v`x` AS select `t`.`id` AS `id` from `t`"
        #expect(
            ObjectDefinition.requotingViewName(oceanBase, name: "v`x")
                == "CREATE VIEW `v``x` AS select `t`.`id` AS `id` from `t`")
        let mariaDB = "CREATE ALGORITHM=UNDEFINED DEFINER=`u`@`%` SQL SECURITY DEFINER VIEW `v``x` AS select 1 AS `1`"
        #expect(ObjectDefinition.requotingViewName(mariaDB, name: "v`x") == mariaDB)
        let plain = "CREATE VIEW `v` AS select 1 AS `1`"
        #expect(ObjectDefinition.requotingViewName(plain, name: "v") == plain)
    }
}
