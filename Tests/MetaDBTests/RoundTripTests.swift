import Foundation
import MetaDB
import SandboxSupport
import Testing

/// One column type and the values that must come back from the server exactly.
struct RoundTripCase: Sendable, CustomTestStringConvertible {
    /// The column definition after the name, e.g. `TINYINT UNSIGNED`.
    let definition: String
    /// SQL literals to insert, each with the bytes expected back (`nil` = NULL).
    let values: [(literal: String, expected: [UInt8]?)]
    var testDescription: String { definition }

    init(_ definition: String, _ values: [(String, String?)]) {
        self.definition = definition
        self.values = values.map { ($0.0, $0.1.map { Array($0.utf8) }) }
    }

    init(_ definition: String, bytes values: [(String, [UInt8]?)]) {
        self.definition = definition
        self.values = values.map { ($0.0, $0.1) }
    }
}

/// Texts that stress quoting: every escaped character, NUL, 4-byte UTF-8, injection attempts.
let trickyTexts: [String] = [
    "", "plain", "it's", "say \"hi\"", #"back\slash"#, #"\'"#, "\\", "'", "nul\0byte\0", "\0",
    "line\nbreak\r\n", "ctrl-z\u{1A}", "tab\there", "emoji 😀🇨🇳👩‍👩‍👧", "中文 text", "%_ like wildcards",
    "'; DROP TABLE t; --", "trailing space ", "\u{7F}\u{1}\u{1F}",
]

func quoted(_ texts: [String]) -> [(String, String?)] {
    texts.map { (SQL.quoteString($0), $0) }
}

let roundTripCases: [RoundTripCase] = [
    RoundTripCase("TINYINT", [("-128", "-128"), ("127", "127"), ("0", "0"), ("NULL", nil)]),
    RoundTripCase("TINYINT UNSIGNED", [("0", "0"), ("255", "255")]),
    RoundTripCase("SMALLINT", [("-32768", "-32768"), ("32767", "32767")]),
    RoundTripCase("SMALLINT UNSIGNED", [("65535", "65535")]),
    RoundTripCase("MEDIUMINT", [("-8388608", "-8388608"), ("8388607", "8388607")]),
    RoundTripCase("MEDIUMINT UNSIGNED", [("16777215", "16777215")]),
    RoundTripCase("INT", [("-2147483648", "-2147483648"), ("2147483647", "2147483647")]),
    RoundTripCase("INT UNSIGNED", [("4294967295", "4294967295")]),
    RoundTripCase(
        "BIGINT", [("-9223372036854775808", "-9223372036854775808"), ("9223372036854775807", "9223372036854775807")]),
    RoundTripCase("BIGINT UNSIGNED", [("18446744073709551615", "18446744073709551615"), ("0", "0")]),
    RoundTripCase(
        "DECIMAL(65,30)",
        [
            (
                "'12345678901234567890123456789012345.123456789012345678901234567890'",
                "12345678901234567890123456789012345.123456789012345678901234567890"
            ),
            (
                "'-99999999999999999999999999999999999.999999999999999999999999999999'",
                "-99999999999999999999999999999999999.999999999999999999999999999999"
            ),
            ("'0.000000000000000000000000000001'", "0.000000000000000000000000000001"),
            ("-1.5", "-1.500000000000000000000000000000"),
        ]),
    RoundTripCase("DECIMAL(10,2) UNSIGNED", [("'0.10'", "0.10"), ("12345678.99", "12345678.99")]),
    RoundTripCase("FLOAT", [("3.5", "3.5"), ("-1.25", "-1.25"), ("0", "0")]),
    RoundTripCase(
        "DOUBLE",
        [
            ("1.7976931348623157e308", "1.7976931348623157e308"), ("0.1", "0.1"),
            ("-2.2250738585072014e-308", "-2.2250738585072014e-308"),
        ]),
    RoundTripCase(
        "DATE", [("'2024-02-29'", "2024-02-29"), ("'1000-01-01'", "1000-01-01"), ("'9999-12-31'", "9999-12-31")]),
    RoundTripCase(
        "TIME(6)",
        [
            ("'-838:59:59'", "-838:59:59.000000"), ("'12:34:56.789012'", "12:34:56.789012"),
            ("'838:59:59.000000'", "838:59:59.000000"),
        ]),
    RoundTripCase("TIME", [("'23:59:59'", "23:59:59")]),
    RoundTripCase(
        "DATETIME(6)",
        [
            ("'2024-01-31 23:59:59.999999'", "2024-01-31 23:59:59.999999"),
            ("'1000-01-01 00:00:00.000001'", "1000-01-01 00:00:00.000001"),
        ]),
    RoundTripCase("DATETIME", [("'9999-12-31 23:59:59'", "9999-12-31 23:59:59")]),
    RoundTripCase(
        "TIMESTAMP(3) NULL",
        [
            ("'2038-01-19 03:14:07.499'", "2038-01-19 03:14:07.499"),
            ("'1970-01-01 00:00:01'", "1970-01-01 00:00:01.000"), ("NULL", nil),
        ]),
    RoundTripCase("YEAR", [("1901", "1901"), ("2155", "2155"), ("'0000'", "0000")]),
    RoundTripCase("BIT(1)", bytes: [("b'1'", [1]), ("b'0'", [0])]),
    RoundTripCase(
        "BIT(64)",
        bytes: [
            ("b'\(String(repeating: "1", count: 64))'", [UInt8](repeating: 0xFF, count: 8)),
            ("0x0102030405060708", [1, 2, 3, 4, 5, 6, 7, 8]),
            ("0", [0, 0, 0, 0, 0, 0, 0, 0]),
        ]),
    RoundTripCase(
        "ENUM('a', 'it''s', 'back\\\\slash', '😀', '')",
        [
            ("'a'", "a"), ("'it''s'", "it's"), (SQL.quoteString(#"back\slash"#), #"back\slash"#), ("'😀'", "😀"),
            ("''", ""), ("NULL", nil),
        ]),
    RoundTripCase("SET('x', 'y', 'z')", [("'x,z'", "x,z"), ("''", ""), ("'z,y,x'", "x,y,z")]),
    RoundTripCase("CHAR(30)", quoted(["", "plain", "it's", "emoji 😀", "nul\0byte"]) + [("'trailing   '", "trailing")]),
    RoundTripCase("VARCHAR(255)", quoted(trickyTexts) + [("NULL", nil)]),
    RoundTripCase("TEXT", quoted(trickyTexts)),
    RoundTripCase("TINYTEXT", quoted(["", "small 😀"])),
    RoundTripCase("MEDIUMTEXT", quoted(["medium\0\n😀"])),
    RoundTripCase("LONGTEXT", quoted([String(repeating: "long'\\\0😀", count: 10_000)])),
    RoundTripCase(
        "BINARY(4)", bytes: [("0x00010203", [0, 1, 2, 3]), ("'AB'", [0x41, 0x42, 0, 0]), ("X''", [0, 0, 0, 0])]),
    RoundTripCase(
        "VARBINARY(300)",
        bytes: [
            (SQL.hexLiteral(Array(0...255) as [UInt8]), Array(0...255)), ("X''", []), ("NULL", nil),
            (SQL.quoteString("a\0'\\"), [0x61, 0, 0x27, 0x5C]),
        ]),
    RoundTripCase("TINYBLOB", bytes: [(SQL.hexLiteral([0xFF, 0x00, 0x27]), [0xFF, 0x00, 0x27])]),
    RoundTripCase(
        "BLOB",
        bytes: [
            (SQL.hexLiteral([UInt8](repeating: 0x5C, count: 1000)), [UInt8](repeating: 0x5C, count: 1000)), ("X''", []),
        ]),
    RoundTripCase("MEDIUMBLOB", bytes: [(SQL.hexLiteral(Array(0...255) as [UInt8]), Array(0...255))]),
    RoundTripCase(
        "JSON",
        [
            (
                SQL.quoteString(#"{"a": [1, "x\"y", null], "emoji": "😀", "back": "\\"}"#),
                #"{"a": [1, "x\"y", null], "emoji": "😀", "back": "\\"}"#
            ),
            ("'[]'", "[]"), ("NULL", nil),
        ]),
]

@Suite("Every column type round-trips through INSERT and SELECT", .integration, .tags(.mariadb))
struct RoundTripTests {
    @Test(arguments: roundTripCases)
    func roundTrip(_ testCase: RoundTripCase) throws {
        try TestDatabase.withDatabase { db, _ in
            try db.execute("SET time_zone = '+00:00'")
            try db.execute("CREATE TABLE t (id INT PRIMARY KEY, v \(testCase.definition))")
            for (i, value) in testCase.values.enumerated() {
                try db.execute("INSERT INTO t (id, v) VALUES (\(i), \(value.literal))")
            }
            let result = try db.query("SELECT v FROM t ORDER BY id")
            try #require(result.rows.count == testCase.values.count)
            for (row, value) in zip(result.rows, testCase.values) {
                let got = row[0].bytes
                #expect(
                    got == value.expected,
                    "\(testCase.definition) \(value.literal.prefix(80)): got \(row[0].description.prefix(80))")
            }
            // The streaming paths must give the same bytes as the buffered one.
            var streamed: [Value] = []
            try db.stream("SELECT v FROM t ORDER BY id") { streamed.append($0[0]) }
            #expect(streamed == result.rows.map { $0[0] })
            var raw: [Value] = []
            try db.streamRaw("SELECT v FROM t ORDER BY id") { _, row in raw.append(row.value(at: 0)) }
            #expect(raw == streamed)

            // A copy through SQL.literal(_:for:) (what a dumper does) keeps every byte.
            try db.execute("CREATE TABLE copy LIKE t")
            for row in try db.query("SELECT id, v FROM t ORDER BY id") {
                let literals = zip(row.values, row.columns).map { SQL.literal($0, for: $1) }
                try db.execute("INSERT INTO copy (id, v) VALUES (\(literals.joined(separator: ", ")))")
            }
            let copied = try db.query("SELECT v FROM copy ORDER BY id")
            #expect(copied.rows.map { $0[0] } == result.rows.map { $0[0] }, "\(testCase.definition): copy differs")
            let checksums = try db.query("CHECKSUM TABLE t, copy")
            #expect(checksums.rows.count == 2)
            #expect(checksums.rows[0][1] == checksums.rows[1][1])
        }
    }

    @Test("typed accessors read integer, decimal, float and BIT values")
    func typedAccessors() throws {
        try TestDatabase.withDatabase { db, _ in
            let row = try #require(
                try db.query(
                    """
                    SELECT CAST(-9223372036854775808 AS SIGNED), CAST(18446744073709551615 AS UNSIGNED),
                           CAST(1.5 AS DOUBLE), b'101', NULL, '', 'text'
                    """
                ).first)
            #expect(row[0].int64 == .min)
            #expect(row[1].uint64 == .max)
            #expect(row[1].int64 == nil)
            #expect(row[2].double == 1.5)
            #expect(row[3].bitValue == 5)
            #expect(row[4] == .null)
            #expect(row[5] == .bytes([]))
            #expect(row[6].string == "text")
        }
    }

    @Test("random byte strings and texts round-trip through quoteString, hexLiteral and quoteStringStandard")
    func randomStrings() throws {
        try TestDatabase.withDatabase { db, _ in
            try db.execute("CREATE TABLE t (id INT PRIMARY KEY, b LONGBLOB, s LONGTEXT)")
            var generator = SystemRandomNumberGenerator()
            let alphabet: [Character] = [
                "a", "'", "\"", "\\", "\0", "\n", "\r", "\u{1A}", "`", "%", "_", "😀", "中", " ", "\t",
            ]
            var texts: [String] = []
            for i in 0..<200 {
                let bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
                let text = String(
                    (0..<Int.random(in: 0...32, using: &generator)).map { _ in
                        alphabet.randomElement(using: &generator)!
                    })
                texts.append(text)
                try db.execute("INSERT INTO t VALUES (\(i), \(SQL.hexLiteral(bytes)), \(SQL.quoteString(text)))")
                let back = try #require(try db.query("SELECT b, s FROM t WHERE id = \(i)").first)
                #expect(back[0].bytes == bytes)
                #expect(back[1].string == text)
                #expect(try db.scalar("SELECT \(SQL.quoteString(text)) = s FROM t WHERE id = \(i)").int64 == 1)
            }
            // Under NO_BACKSLASH_ESCAPES only the standard quoting is right.
            try db.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')")
            for (i, text) in texts.enumerated() {
                #expect(try db.scalar("SELECT \(SQL.quoteStringStandard(text)) = s FROM t WHERE id = \(i)").int64 == 1)
                #expect(
                    try db.scalar(
                        "SELECT CONVERT(\(SQL.hexLiteral(Array(text.utf8))) USING utf8mb4) = s FROM t WHERE id = \(i)"
                    ).int64 == 1)
            }
        }
    }

    @Test("a few-MB BLOB comes back byte for byte, buffered and streamed")
    func largeBlob() throws {
        try TestDatabase.withDatabase { db, _ in
            var generator = SystemRandomNumberGenerator()
            var blob = [UInt8](repeating: 0, count: 3 * 1024 * 1024)
            for i in blob.indices { blob[i] = UInt8.random(in: 0...255, using: &generator) }
            try db.execute("CREATE TABLE t (id INT PRIMARY KEY, b LONGBLOB)")
            try db.execute("INSERT INTO t VALUES (1, \(SQL.hexLiteral(blob)))")
            let back = try #require(try db.query("SELECT b, LENGTH(b) FROM t").first)
            #expect(back[1].int64 == Int64(blob.count))
            #expect(back[0].bytes == blob)
            var streamed: [UInt8]?
            try db.streamRaw("SELECT b FROM t") { _, row in streamed = row.bytes(at: 0) }
            #expect(streamed == blob)
        }
    }

    @Test("GEOMETRY values round-trip as their binary form")
    func geometry() throws {
        try TestDatabase.withDatabase { db, _ in
            try db.execute("CREATE TABLE t (id INT PRIMARY KEY, g GEOMETRY)")
            try db.execute("INSERT INTO t VALUES (1, ST_GeomFromText('POINT(1 2)'))")
            let wkb = try #require(try db.scalar("SELECT g FROM t").bytes)
            try db.execute("INSERT INTO t VALUES (2, \(SQL.hexLiteral(wkb)))")
            #expect(try db.scalar("SELECT ST_AsText(g) FROM t WHERE id = 2").string == "POINT(1 2)")
            let column = try db.query("SELECT g FROM t").columns[0]
            #expect(column.type == .geometry)
        }
    }

    @Test("column metadata: name, table, database, type, binary, unsigned, key, nullability")
    func columnMetadata() throws {
        try TestDatabase.withDatabase { db, name in
            try db.execute(
                """
                CREATE TABLE meta (
                  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
                  name VARCHAR(10) NOT NULL,
                  raw VARBINARY(10),
                  txt TEXT,
                  bl BLOB,
                  fixed BINARY(3),
                  ch CHAR(3),
                  n INT NULL,
                  tiny TINYINT UNSIGNED,
                  mid MEDIUMINT,
                  small SMALLINT,
                  e ENUM('a','b'),
                  s SET('x','y'),
                  j JSON,
                  d DECIMAL(10,2),
                  f FLOAT,
                  dbl DOUBLE,
                  dt DATE,
                  tm TIME(6),
                  dtm DATETIME(6),
                  ts TIMESTAMP NULL,
                  yr YEAR,
                  bt BIT(8)
                )
                """)
            let result = try db.query("SELECT *, id + 1 AS expr FROM meta AS m")
            let c = Dictionary(uniqueKeysWithValues: result.columns.map { ($0.name, $0) })
            #expect(result.columns.map(\.name).first == "id")
            #expect(c["id"]?.table == "m")
            #expect(c["id"]?.originalTable == "meta")
            #expect(c["id"]?.database == name)
            #expect(c["id"]?.type == .longlong)
            #expect(c["id"]?.isPrimaryKey == true)
            #expect(c["id"]?.isUnsigned == true)
            #expect(c["id"]?.isAutoIncrement == true)
            #expect(c["id"]?.isNullable == false)
            #expect(c["id"]?.isNumeric == true)
            #expect(c["name"]?.type == .varString)
            #expect(c["name"]?.isBinary == false)
            #expect(c["name"]?.isPrimaryKey == false)
            #expect(c["name"]?.isNullable == false)
            #expect(c["raw"]?.type == .varString)
            #expect(c["raw"]?.isBinary == true)
            #expect(c["raw"]?.isNullable == true)
            #expect(c["txt"]?.type == .blob)
            #expect(c["txt"]?.isBinary == false)
            #expect(c["bl"]?.type == .blob)
            #expect(c["bl"]?.isBinary == true)
            #expect(c["fixed"]?.type == .string)
            #expect(c["fixed"]?.isBinary == true)
            #expect(c["ch"]?.type == .string)
            #expect(c["ch"]?.isBinary == false)
            #expect(c["n"]?.type == .long)
            #expect(c["n"]?.isUnsigned == false)
            #expect(c["tiny"]?.type == .tiny)
            #expect(c["tiny"]?.isUnsigned == true)
            #expect(c["mid"]?.type == .int24)
            #expect(c["small"]?.type == .short)
            #expect(c["e"]?.isEnum == true)
            #expect(c["s"]?.isSet == true)
            #expect(c["j"]?.isBinary == false)
            #expect(c["d"]?.type == .newdecimal)
            #expect(c["d"]?.decimals == 2)
            #expect(c["f"]?.type == .float)
            #expect(c["dbl"]?.type == .double)
            #expect(c["dt"]?.type == .date)
            #expect(c["tm"]?.type == .time)
            #expect(c["tm"]?.decimals == 6)
            #expect(c["dtm"]?.type == .datetime)
            #expect(c["ts"]?.type == .timestamp)
            #expect(c["yr"]?.type == .year)
            #expect(c["bt"]?.type == .bit)
            #expect(c["bt"]?.isNumeric == false)
            #expect(c["expr"]?.table == "")
            #expect(c["expr"]?.isNumeric == true)
        }
    }
}
