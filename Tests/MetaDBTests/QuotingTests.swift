import MetaDB
import Testing

@Suite("SQL quoting (no server)")
struct QuotingTests {
    @Test("identifiers are wrapped in backticks and inner backticks doubled")
    func identifiers() {
        #expect(SQL.quoteIdentifier("t") == "`t`")
        #expect(SQL.quoteIdentifier("a`b") == "`a``b`")
        #expect(SQL.quoteIdentifier("``") == "``````")
        #expect(SQL.quoteIdentifier("") == "``")
        #expect(SQL.quoteIdentifier("we ird'\"\\name") == "`we ird'\"\\name`")
        #expect(SQL.quoteIdentifier("表😀") == "`表😀`")
        #expect(SQL.qualified("oms_rm", "a`b") == "`oms_rm`.`a``b`")
    }

    @Test("every special character of a string literal is escaped")
    func strings() {
        #expect(SQL.quoteString("") == "''")
        #expect(SQL.quoteString("plain") == "'plain'")
        #expect(SQL.quoteString("it's") == #"'it\'s'"#)
        #expect(SQL.quoteString("say \"hi\"") == #"'say \"hi\"'"#)
        #expect(SQL.quoteString(#"C:\dir"#) == #"'C:\\dir'"#)
        #expect(SQL.quoteString("a\0b") == #"'a\0b'"#)
        #expect(SQL.quoteString("l1\nl2\r\n") == #"'l1\nl2\r\n'"#)
        #expect(SQL.quoteString("z\u{1A}") == #"'z\Z'"#)
        #expect(SQL.quoteString("\0\n\r\\'\"\u{1A}") == #"'\0\n\r\\\'\"\Z'"#)
        #expect(SQL.quoteString("tab\tstays") == "'tab\tstays'")
        #expect(SQL.quoteString("emoji 😀 中文") == "'emoji 😀 中文'")
    }

    @Test("standard quoting only doubles single quotes")
    func standardStrings() {
        #expect(SQL.quoteStringStandard("") == "''")
        #expect(SQL.quoteStringStandard("it's") == "'it''s'")
        #expect(SQL.quoteStringStandard(#"back\slash "q""#) == #"'back\slash "q"'"#)
        #expect(SQL.quoteStringStandard("''") == "''''''")
    }

    @Test("hex literals: 0x… lower-case, X'' when empty")
    func hex() {
        #expect(SQL.hexLiteral([UInt8]()) == "X''")
        #expect(SQL.hexLiteral([0x00, 0xFF, 0x10, 0xAB]) == "0x00ff10ab")
        #expect(SQL.hexLiteral(Array("AB".utf8)) == "0x4142")
        #expect(SQL.hexLiteral([UInt8](repeating: 0, count: 3)[...]) == "0x000000")
        #expect(SQL.literal(.null) == "NULL")
        #expect(SQL.literal(.bytes([])) == "X''")
        #expect(SQL.literal("A") == "0x41")
    }

    @Test("literals for a known column: numbers bare, binary and BIT as hex, JSON and text quoted")
    func columnLiterals() {
        let int = Column(name: "i", type: .long)
        let decimal = Column(name: "d", type: .newdecimal)
        let double = Column(name: "f", type: .double)
        let bit = Column(name: "b", type: .bit, charsetNumber: 63)
        let blob = Column(name: "bl", type: .blob, charsetNumber: 63)
        let text = Column(name: "t", type: .blob, charsetNumber: 45)
        let json = Column(name: "j", type: .json, charsetNumber: 63)
        let date = Column(name: "dt", type: .datetime, charsetNumber: 63)
        #expect(SQL.literal(.null, for: int) == "NULL")
        #expect(SQL.literal("-42", for: int) == "-42")
        #expect(SQL.literal("12345.678900", for: decimal) == "12345.678900")
        #expect(SQL.literal("1.7976931348623157e308", for: double) == "1.7976931348623157e308")
        #expect(SQL.literal("-2.2e-308", for: double) == "-2.2e-308")
        #expect(SQL.literal("1; DROP TABLE t", for: int) == "'1; DROP TABLE t'")
        #expect(SQL.literal("", for: int) == "''")
        #expect(SQL.literal(.bytes([0x01, 0x02]), for: bit) == "0x0102")
        #expect(SQL.literal(.bytes([0x00, 0x27]), for: blob) == "0x0027")
        #expect(SQL.literal(.bytes([]), for: blob) == "X''")
        #expect(SQL.literal("it's", for: text) == #"'it\'s'"#)
        #expect(SQL.literal(#"{"a": "b\"c"}"#, for: json) == #"'{\"a\": \"b\\\"c\"}'"#)
        #expect(SQL.literal("2024-01-31 23:59:59.5", for: date) == "'2024-01-31 23:59:59.5'")
        #expect(SQL.literal(.bytes([0xFF]), for: text) == "0xff")
        #expect(SQL.literal("A", for: Column(name: "x", type: .string)) == "'A'")
        #expect(SQL.literal("A") == "0x41")
    }
}
