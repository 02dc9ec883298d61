extension SQL {
    /// A literal for a ``Value`` whose column is unknown: `NULL`, or ``hexLiteral(_:)`` of its bytes.
    ///
    /// A hex literal is a binary string: right for binary and text columns, but
    /// in a numeric context it is read as a number (`0x3132` is 12594, not 12).
    /// When the column is known, use ``literal(_:for:)``.
    public static func literal(_ value: Value) -> String {
        switch value {
        case .null: "NULL"
        case .bytes(let b): hexLiteral(b)
        }
    }

    /// A literal that stores `value` back into a column like `column` unchanged: for dumps and copies.
    ///
    /// - `NULL` → `NULL`.
    /// - Numbers (integers, `DECIMAL`, `FLOAT`, `DOUBLE`, `YEAR`) → their text as
    ///   is, when it is a plain decimal number; otherwise quoted.
    /// - `BIT`, binary strings (`BINARY`, `VARBINARY`, `BLOB`) and `GEOMETRY` →
    ///   ``hexLiteral(_:)``, exact in every sql_mode.
    /// - `JSON` (which MySQL reports as binary) and everything else (text,
    ///   dates and times, `ENUM`, `SET`) → ``quoteString(_:)``, which assumes
    ///   backslash escapes (sql_mode without `NO_BACKSLASH_ESCAPES`).
    ///
    /// `TIMESTAMP` text is in the session time zone; read and write with the
    /// same `time_zone` (a dumper should use `'+00:00'`).
    public static func literal(_ value: Value, for column: Column) -> String {
        guard case .bytes(let bytes) = value else { return "NULL" }
        let type = column.type
        if type == .json {
            return quoteString(String(decoding: bytes, as: UTF8.self))
        }
        if type.isNumeric {
            if isPlainNumber(bytes) { return String(decoding: bytes, as: UTF8.self) }
            return quoteString(String(decoding: bytes, as: UTF8.self))
        }
        if type == .bit || type == .geometry || column.isBinary {
            return hexLiteral(bytes)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return quoteString(text)
        }
        // Not UTF-8 in a text column (a server with another character set): keep the bytes.
        return hexLiteral(bytes)
    }

    /// Whether `bytes` is a decimal number the server prints: sign, digits, point, exponent.
    static func isPlainNumber(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 100 else { return false }
        var sawDigit = false
        for (i, b) in bytes.enumerated() {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                if i != 0 && bytes[i - 1] != UInt8(ascii: "e") && bytes[i - 1] != UInt8(ascii: "E") { return false }
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): continue
            default: return false
            }
        }
        return sawDigit
    }
}
