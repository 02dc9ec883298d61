extension SQL {
    /// Quotes an identifier with backticks, doubling any backtick inside: `a``b`.
    ///
    /// Works in every sql_mode (`ANSI_QUOTES` only adds `"` as another quote).
    /// MySQL identifiers cannot contain U+0000; such a name is passed through and
    /// the server rejects it.
    public static func quoteIdentifier(_ name: String) -> String {
        var out = "`"
        out.reserveCapacity(name.utf8.count + 2)
        for ch in name.unicodeScalars {
            if ch == "`" { out.unicodeScalars.append("`") }
            out.unicodeScalars.append(ch)
        }
        out += "`"
        return out
    }

    /// `` `db`.`table` ``, each part quoted with ``quoteIdentifier(_:)``.
    public static func qualified(_ db: String, _ table: String) -> String {
        quoteIdentifier(db) + "." + quoteIdentifier(table)
    }

    /// Quotes a string literal with single quotes and backslash escapes, like `mysql_real_escape_string`.
    ///
    /// Escapes NUL (`\0`), newline (`\n`), carriage return (`\r`), backslash,
    /// single and double quote, and Ctrl-Z (`\Z`). This is correct under the
    /// default sql_mode (and OceanBase's), where backslash is an escape
    /// character. It is NOT correct when sql_mode contains
    /// `NO_BACKSLASH_ESCAPES`: use ``quoteStringStandard(_:)`` there, or
    /// ``hexLiteral(_:)`` of the UTF-8 bytes, which is valid in every mode.
    public static func quoteString(_ s: String) -> String {
        var out: [UInt8] = [UInt8(ascii: "'")]
        out.reserveCapacity(s.utf8.count + 8)
        for byte in s.utf8 {
            switch byte {
            case 0x00: out += [0x5C, UInt8(ascii: "0")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x1A: out += [0x5C, UInt8(ascii: "Z")]
            case 0x5C: out += [0x5C, 0x5C]
            case UInt8(ascii: "'"): out += [0x5C, UInt8(ascii: "'")]
            case UInt8(ascii: "\""): out += [0x5C, UInt8(ascii: "\"")]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "'"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Quotes a string literal the SQL-standard way: single quotes, each `'` doubled, nothing else escaped.
    ///
    /// Correct only when sql_mode contains `NO_BACKSLASH_ESCAPES`; under the
    /// default mode a backslash in `s` would start an escape. Use
    /// ``quoteString(_:)`` for the default mode.
    public static func quoteStringStandard(_ s: String) -> String {
        "'" + s.replacing("'", with: "''") + "'"
    }

    /// A hexadecimal literal of the bytes: `0x4142` for `[0x41, 0x42]`, and `X''` for no bytes.
    ///
    /// `0x` needs at least one digit, so the empty value is written `X''`, the
    /// empty binary string. In a string context the literal is a binary string
    /// with exactly these bytes, whatever the sql_mode; inserted into a text
    /// column the bytes are taken in the column's character set.
    public static func hexLiteral(_ bytes: some Collection<UInt8>) -> String {
        if bytes.isEmpty { return "X''" }
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "0"), UInt8(ascii: "x")]
        out.reserveCapacity(2 + bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
