import Testing

@testable import MetaDump

@Suite struct SQLStatementScannerTests {
    /// Scans `text` fed in pieces of `piece` bytes; returns the statements.
    func scan(_ text: String, piece: Int = 1 << 20, collect: Bool = true) -> (
        statements: [ScannedStatement], open: String?
    ) {
        var scanner = SQLStatementScanner(collectText: collect)
        var out: [ScannedStatement] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + piece)
            bytes[i..<end].withUnsafeBytes { scanner.feed($0) { out.append($0) } }
            i = end
        }
        let open = scanner.describeOpenState
        scanner.finish { out.append($0) }
        return (out, open)
    }

    static let dump = """
        -- comment; with a semicolon
        /*!40101 SET NAMES utf8mb4 */;
        /*M!999999\\- enable the sandbox mode */
        # hash comment ;
        DROP TABLE IF EXISTS `t;1`;
        CREATE TABLE `t;1` (
          `id` int NOT NULL, -- trailing comment ; here
          `s` varchar(10) DEFAULT 'a;b',
          PRIMARY KEY (`id`)
        ) ENGINE=InnoDB;
        INSERT INTO `t;1` (`id`,`s`) VALUES (1,'it''s; (x)'),(2,'back\\\\slash\\' ; ('),(3,"dq \\" ;"),(4,NULL),(5,'-- not a comment'),(6,'/* nor this */');
        /* block ; comment */ INSERT INTO t2 VALUES (1),(2) ON DUPLICATE KEY UPDATE a=VALUES(a);
        insert into `we``ird` values(1, 2);
        DELIMITER ;;
        CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET @a = 1; SET @b = 2; END ;;
        DELIMITER ;
        /*!50001 CREATE ALGORITHM=UNDEFINED */
        /*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */
        /*!50001 VIEW `v` AS select 1 AS `a` */;
        REPLACE INTO db.t3 VALUES (0x00ff, -1.5e10, '\\0');
        SELECT 1
        """

    @Test(arguments: [1, 2, 3, 7, 64, 1 << 20])
    func splitsStatementsLikeTheClient(piece: Int) {
        let (statements, open) = scan(Self.dump, piece: piece)
        let kinds = statements.map(\.kind)
        #expect(
            kinds == [
                .set, .dropTable("t;1"), .createTable("t;1"), .insert(table: "t;1"), .insert(table: "t2"),
                .insert(table: "we`ird"), .other("CREATE"), .createView("v"), .insert(table: "t3"), .other("SELECT"),
            ])
        #expect(statements.map(\.tuples) == [0, 0, 0, 6, 2, 1, 0, 0, 1, 0])
        #expect(statements.last?.terminated == false)
        #expect(statements.dropLast().allSatisfy { $0.terminated })
        #expect(open == "in the middle of a statement")
        let texts = statements.map { String(decoding: $0.text, as: UTF8.self) }
        #expect(texts[0] == "/*!40101 SET NAMES utf8mb4 */")
        #expect(texts[1] == "DROP TABLE IF EXISTS `t;1`")
        #expect(texts[4].hasPrefix("INSERT INTO t2"))
        #expect(texts[6] == "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET @a = 1; SET @b = 2; END ")
        // Offsets point at the statement text in the input.
        let bytes = Array(Self.dump.utf8)
        for statement in statements {
            let slice = Array(bytes[Int(statement.offset)..<(Int(statement.offset) + statement.length)])
            #expect(slice == statement.text)
        }
    }

    @Test func countsOnlyWithoutCollecting() {
        let (statements, _) = scan(Self.dump, piece: 5, collect: false)
        #expect(statements.map(\.tuples).reduce(0, +) == 10)
        #expect(statements.allSatisfy { $0.text.isEmpty } == true)
    }

    @Test func reportsWhereATruncatedFileEnds() {
        #expect(scan("INSERT INTO t VALUES (1,'abc").open == "inside a quoted string")
        #expect(scan("INSERT INTO t VALUES (1,'abc\\").open == "inside a quoted string")
        #expect(scan("CREATE TABLE `t").open == "inside a quoted identifier")
        #expect(scan("SELECT 1; /* unfinished").open == "inside a comment")
        #expect(scan("SELECT 1;\n-- done\n").open == nil)
        let (statements, _) = scan("INSERT INTO t VALUES (1),(2")
        #expect(statements.first?.tuples == 2)
        #expect(statements.first?.terminated == false)
    }

    @Test func hostileStringsDoNotEndStatements() {
        let text = "INSERT INTO `t` VALUES ('\\\\'),('\\''),(''''),('\\\\\\''),(');'),('(('),(')'),('\"'),(\"'\");"
        let (statements, open) = scan(text, piece: 3)
        #expect(statements.count == 1)
        #expect(statements[0].tuples == 9)
        #expect(open == nil)
    }
}
