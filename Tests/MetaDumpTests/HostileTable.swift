import Foundation
import MetaDB

/// A table with every column type and pools of hostile values, for round-trip properties.
enum HostileTable {
    /// A column: its definition and the SQL expressions it can take (`nil` = use random text or bytes).
    struct Column {
        var name: String
        var definition: String
        var pool: [String]
        /// `text` or `bytes` when a random value may be generated instead of a pool value.
        var random: RandomKind?
    }

    enum RandomKind { case text, bytes }

    static let text = [
        "NULL", "''", "' '", "'\\''", "'\"'", "'\\\\'", "'\\0'", "'a\\0b'", "'\\n\\r\\t'", "'\\Z'",
        "'😀 𝄞 中文'", "'-- not a comment'", "'/*! 40101 x */'", "');DROP TABLE x;--'", "'`'", "'NULL'",
    ]
    static let bytes = ["NULL", "''", "0x00", "0x27", "0x5c", "0x0a0d1a00ff", "0xffffffff", "x'deadbeef'"]

    static let columns: [Column] = [
        Column(name: "ti", definition: "tinyint", pool: ["NULL", "-128", "127", "0"]),
        Column(name: "tu", definition: "tinyint unsigned", pool: ["0", "255", "NULL"]),
        Column(name: "si", definition: "smallint", pool: ["-32768", "32767", "NULL"]),
        Column(name: "mi", definition: "mediumint unsigned", pool: ["16777215", "0", "NULL"]),
        Column(name: "ii", definition: "int", pool: ["-2147483648", "2147483647", "NULL"]),
        Column(name: "bi", definition: "bigint", pool: ["-9223372036854775808", "9223372036854775807", "0", "NULL"]),
        Column(name: "bu", definition: "bigint unsigned", pool: ["18446744073709551615", "0", "NULL"]),
        Column(
            name: "de", definition: "decimal(65,30)",
            pool: [
                "99999999999999999999999999999999999.999999999999999999999999999999",
                "-0.000000000000000000000000000001", "0", "NULL",
            ]),
        Column(name: "dz", definition: "decimal(10,0) unsigned zerofill", pool: ["42", "0", "NULL"]),
        Column(name: "fl", definition: "float", pool: ["3.40282e38", "-1.17549e-38", "1.1", "-0.0", "NULL"]),
        Column(
            name: "do", definition: "double",
            pool: ["1.7976931348623157e308", "2.2250738585072014e-308", "0.1", "-1e-300", "NULL"]),
        Column(name: "b1", definition: "bit(1)", pool: ["b'0'", "b'1'", "NULL"]),
        Column(name: "b64", definition: "bit(64)", pool: ["b'0'", "0xFFFFFFFFFFFFFFFF", "b'101'", "NULL"]),
        Column(name: "ch", definition: "char(10)", pool: ["''", "'abc'", "NULL", "'ü'"]),
        Column(name: "vc", definition: "varchar(255)", pool: text, random: .text),
        Column(name: "vl", definition: "varchar(100) CHARACTER SET latin1", pool: ["'é'", "'\\\\'", "NULL", "''"]),
        Column(name: "tx", definition: "longtext", pool: text, random: .text),
        Column(name: "bn", definition: "binary(4)", pool: ["0x00000000", "0x27275c5c", "NULL", "''"]),
        Column(name: "vb", definition: "varbinary(255)", pool: bytes, random: .bytes),
        Column(name: "bl", definition: "longblob", pool: bytes, random: .bytes),
        Column(name: "da", definition: "date", pool: ["'1000-01-01'", "'9999-12-31'", "'0000-00-00'", "NULL"]),
        Column(
            name: "dt", definition: "datetime(6)",
            pool: [
                "'1000-01-01 00:00:00.000000'", "'9999-12-31 23:59:59.999999'", "'2024-02-29 12:00:00.5'", "NULL",
            ]),
        Column(
            name: "ts", definition: "timestamp(6) NULL DEFAULT NULL",
            pool: [
                "'1970-01-01 00:00:01.000000'", "'2038-01-19 03:14:07.999999'", "'2024-03-31 02:30:00.123'", "NULL",
            ]),
        Column(
            name: "tm", definition: "time(3)", pool: ["'-838:59:59.000'", "'838:59:59.000'", "'00:00:00.001'", "NULL"]),
        Column(name: "yr", definition: "year", pool: ["1901", "2155", "0", "NULL"]),
        Column(name: "en", definition: "enum('a','b''q','')", pool: ["'a'", "'b''q'", "''", "NULL"]),
        Column(name: "st", definition: "set('x','y','z')", pool: ["''", "'x,z'", "'x,y,z'", "NULL"]),
        Column(
            name: "js", definition: "json",
            pool: [
                "'{}'", "'[]'", "'null'", "'\"s\\\\\\\\\"'", "'{\"a\": \"\\\\u0000\\\\\"\\'\", \"b\": [1, 2.5, true]}'",
                "NULL",
            ]),
        Column(
            name: "gm", definition: "geometry",
            pool: ["ST_GeomFromText('POINT(1 2)')", "ST_GeomFromText('LINESTRING(0 0,1 1)')", "NULL"]),
    ]

    /// The `CREATE TABLE` of `name`: the columns plus a generated column of each kind.
    static func createTable(_ name: String) -> String {
        let body = columns.map { "`\($0.name)` \($0.definition)" }.joined(separator: ",\n  ")
        return """
            CREATE TABLE `\(name)` (
              id int NOT NULL AUTO_INCREMENT,
              \(body),
              gv bigint AS (ii + 1) VIRTUAL,
              gs varchar(300) AS (CONCAT('<', vc, '>')) STORED,
              PRIMARY KEY (id)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """
    }

    /// An INSERT of one row: `picks[i]` chooses column i's value; `text` and `bytes` are the random values.
    static func insert(_ table: String, picks: [Int], text: String, bytes: [UInt8]) -> String {
        var values: [String] = []
        for (i, column) in columns.enumerated() {
            let pick = picks[i % picks.count]
            let choices = column.pool.count + (column.random == nil ? 0 : 1)
            let index = pick % choices
            if index < column.pool.count {
                values.append(column.pool[index])
            } else if column.random == .text {
                values.append(SQL.quoteString(text))
            } else {
                values.append(SQL.hexLiteral(bytes))
            }
        }
        return
            "INSERT INTO `\(table)` (\(columns.map { "`\($0.name)`" }.joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))"
    }
}
