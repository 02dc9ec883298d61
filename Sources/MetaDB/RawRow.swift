import CMariaDB

/// A row as the client library holds it: pointers into its buffer, no copies.
///
/// Valid only inside the `streamRaw` callback that received it; the buffers are
/// reused for the next row. Do not store the row or the buffers it returns:
/// copy what you need (`bytes(at:)`, `string(at:)`, or `Array(buffer)`).
public struct RawRow {
    private let row: MYSQL_ROW
    private let lengths: UnsafeMutablePointer<UInt>
    /// The number of values.
    public let count: Int

    init(row: MYSQL_ROW, lengths: UnsafeMutablePointer<UInt>, count: Int) {
        self.row = row
        self.lengths = lengths
        self.count = count
    }

    /// The bytes of value `i`, or `nil` for `NULL`; an empty buffer is the empty string.
    public subscript(_ i: Int) -> UnsafeRawBufferPointer? {
        precondition(i >= 0 && i < count, "column index \(i) out of range 0..<\(count)")
        guard let pointer = row[i] else { return nil }
        return UnsafeRawBufferPointer(start: pointer, count: Int(lengths[i]))
    }

    /// Whether value `i` is `NULL`.
    public func isNull(_ i: Int) -> Bool {
        self[i] == nil
    }

    /// A copy of the bytes of value `i`, or `nil` for `NULL`.
    public func bytes(at i: Int) -> [UInt8]? {
        self[i].map { Array($0) }
    }

    /// Value `i` as UTF-8 text; `nil` for `NULL` or bytes that are not valid UTF-8 (like ``Value/string``).
    public func string(at i: Int) -> String? {
        guard let buffer = self[i] else { return nil }
        return String(validating: buffer, as: UTF8.self)
    }

    /// A copy of value `i` as a ``Value``.
    public func value(at i: Int) -> Value {
        guard let buffer = self[i] else { return .null }
        return .bytes(Array(buffer))
    }
}
