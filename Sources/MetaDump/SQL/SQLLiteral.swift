import MetaDB

/// How a column's values are written as SQL literals in a dump.
enum LiteralStyle: Sendable, Equatable {
    /// Numbers: the server's text as is (DECIMAL, FLOAT and DOUBLE keep every digit the server gave).
    case raw
    /// Text, dates and times, ENUM, SET, JSON: single-quoted with backslash escapes.
    case quoted
    /// Binary strings, BLOBs, BIT and GEOMETRY: a hexadecimal literal, exact for every byte.
    case hex
    /// A column that can only hold NULL.
    case null

    /// The style for a result column, from its wire type and character set.
    static func of(_ column: Column) -> LiteralStyle {
        switch column.type {
        case .null: return .null
        case .json: return .quoted
        case .bit, .geometry: return .hex
        case .tiny, .short, .long, .longlong, .int24, .float, .double, .decimal, .newdecimal, .year: return .raw
        default: break
        }
        if column.charsetNumber == Column.binaryCharset && column.type.isStringOrBlob && !column.isEnum && !column.isSet
        {
            return .hex
        }
        return .quoted
    }
}

/// Encoders that write SQL literals straight into a ``SQLFileWriter``'s buffer.
enum SQLLiteral {
    /// The escape letter for each byte (`0` = copy as is), as `mysql_real_escape_string` does inside single quotes.
    nonisolated(unsafe) private static let escapes: UnsafeMutablePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        table[0x00] = UInt8(ascii: "0")
        table[0x0A] = UInt8(ascii: "n")
        table[0x0D] = UInt8(ascii: "r")
        table[0x1A] = UInt8(ascii: "Z")
        table[0x27] = UInt8(ascii: "'")
        table[0x5C] = UInt8(ascii: "\\")
        return table
    }()

    nonisolated(unsafe) private static let hexDigits: UnsafeMutablePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 16)
        for (i, c) in "0123456789abcdef".utf8.enumerated() { table[i] = c }
        return table
    }()

    /// The largest piece of input encoded between two flushes.
    private static let piece = 256 * 1024

    /// Writes `value` (nil = NULL) in `style`.
    @inline(__always)
    static func append(_ value: UnsafeRawBufferPointer?, style: LiteralStyle, to writer: SQLFileWriter) throws {
        guard let value else {
            try writer.reserve(4)
            let c = writer.cursor
            c[0] = 0x4E
            c[1] = 0x55
            c[2] = 0x4C
            c[3] = 0x4C  // NULL
            writer.commit(4)
            return
        }
        switch style {
        case .raw: try writer.append(value)
        case .quoted: try appendQuoted(value, to: writer)
        case .hex: try appendHex(value, to: writer)
        case .null: try writer.append("NULL")
        }
    }

    /// `'…'` with `\0 \n \r \Z \' \\` escaped.
    static func appendQuoted(_ value: UnsafeRawBufferPointer, to writer: SQLFileWriter) throws {
        try writer.append(0x27)
        if let base = value.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            let escapes = Self.escapes
            var i = 0
            while i < value.count {
                let n = min(value.count - i, piece)
                try writer.reserve(2 * n)
                let start = writer.cursor
                var out = start
                for j in i..<(i + n) {
                    let byte = base[j]
                    let escape = escapes[Int(byte)]
                    if escape == 0 {
                        out.pointee = byte
                        out += 1
                    } else {
                        out[0] = 0x5C
                        out[1] = escape
                        out += 2
                    }
                }
                writer.commit(out - start)
                i += n
            }
        }
        try writer.append(0x27)
    }

    /// `0x…` in lower-case hex; the empty value is `''`.
    static func appendHex(_ value: UnsafeRawBufferPointer, to writer: SQLFileWriter) throws {
        guard let base = value.baseAddress?.assumingMemoryBound(to: UInt8.self), value.count > 0 else {
            try writer.append(0x27)
            try writer.append(0x27)
            return
        }
        try writer.append(0x30)
        try writer.append(0x78)
        let digits = Self.hexDigits
        var i = 0
        while i < value.count {
            let n = min(value.count - i, piece)
            try writer.reserve(2 * n)
            let out = writer.cursor
            for j in 0..<n {
                let byte = base[i + j]
                out[2 * j] = digits[Int(byte >> 4)]
                out[2 * j + 1] = digits[Int(byte & 0x0F)]
            }
            writer.commit(2 * n)
            i += n
        }
    }
}
