/// One value of a result row: SQL `NULL` or the exact bytes the server sent.
///
/// The text protocol sends every value as bytes: numbers and dates in their
/// text form (`-128`, `2024-01-31 23:59:59.500000`), strings in utf8mb4,
/// binary strings and `BIT` values as raw bytes. `NULL` and the empty string
/// are distinct (`.null` vs `.bytes([])`).
public enum Value: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// The exact wire bytes.
    case bytes([UInt8])

    /// Creates a value from text (its UTF-8 bytes).
    public init(_ text: String) {
        self = .bytes(Array(text.utf8))
    }

    /// Whether this is SQL `NULL`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The bytes, or `nil` for `NULL`.
    public var bytes: [UInt8]? {
        if case .bytes(let b) = self { return b }
        return nil
    }

    /// The bytes as UTF-8 text; `nil` for `NULL` or bytes that are not valid UTF-8.
    public var string: String? {
        guard case .bytes(let b) = self else { return nil }
        return String(validating: b, as: UTF8.self)
    }

    /// The value as a signed integer; `nil` for `NULL` or text that is not a decimal integer in range.
    public var int64: Int64? {
        guard case .bytes(let b) = self else { return nil }
        return Self.parseInteger(b)
    }

    /// The value as an unsigned integer; `nil` for `NULL` or text that is not a non-negative decimal integer in range.
    public var uint64: UInt64? {
        guard case .bytes(let b) = self else { return nil }
        return Self.parseInteger(b)
    }

    /// The value as a floating-point number; `nil` for `NULL` or text that is not a number.
    public var double: Double? {
        guard let s = string, !s.isEmpty else { return nil }
        return Double(s)
    }

    /// A `BIT(n)` value: up to 8 bytes read as a big-endian unsigned integer; `nil` for `NULL` or more than 8 bytes.
    public var bitValue: UInt64? {
        guard case .bytes(let b) = self, b.count <= 8 else { return nil }
        return b.reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func parseInteger<T: FixedWidthInteger>(_ b: [UInt8]) -> T? {
        guard !b.isEmpty, b.count <= 40 else { return nil }
        // Int64(String) and UInt64(String) accept exactly an optional sign and decimal digits.
        return T(String(decoding: b, as: UTF8.self), radix: 10)
    }
}

extension Value: CustomStringConvertible {
    /// `NULL`, the UTF-8 text, or `0x…` for bytes that are not UTF-8.
    public var description: String {
        switch self {
        case .null: "NULL"
        case .bytes(let b): String(validating: b, as: UTF8.self) ?? SQL.hexLiteral(b)
        }
    }
}

extension Value: ExpressibleByStringLiteral {
    /// A value holding the literal's UTF-8 bytes.
    public init(stringLiteral value: String) {
        self.init(value)
    }
}
