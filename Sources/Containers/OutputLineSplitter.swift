/// Splits a child process's output bytes into lines of any length, keeping at most a bounded part of each.
///
/// A program may print a line of hundreds of kilobytes (one JSON document, a
/// progress bar without newlines): such a line is neither an error nor kept
/// whole. Its first ``maxLineBytes`` bytes are kept and the line is reported as
/// `<start>… [line truncated: N bytes]`. Memory stays bounded by ``maxLineBytes``.
/// A trailing carriage return is dropped; invalid UTF-8 becomes U+FFFD.
public struct OutputLineSplitter: Sendable {
    /// The bytes of one line kept by default (16 KiB).
    public static let defaultMaxLineBytes = 16 << 10

    /// The bytes of one line kept before it is truncated.
    public let maxLineBytes: Int
    private var line: [UInt8] = []
    private var lineBytes = 0

    /// Creates a splitter keeping at most `maxLineBytes` of each line.
    public init(maxLineBytes: Int = OutputLineSplitter.defaultMaxLineBytes) {
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// Feeds the next bytes, calling `emit` for every line completed in them.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (String) throws -> Void) rethrows {
        var start = 0
        for index in 0..<bytes.count where bytes[index] == 0x0A {
            take(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
            try emit(finishLine())
            start = index + 1
        }
        take(UnsafeRawBufferPointer(rebasing: bytes[start..<bytes.count]))
    }

    /// Ends the input: a last line without a newline is emitted too.
    public mutating func finish(_ emit: (String) throws -> Void) rethrows {
        if lineBytes > 0 { try emit(finishLine()) }
    }

    private mutating func take(_ bytes: UnsafeRawBufferPointer) {
        lineBytes += bytes.count
        let room = maxLineBytes - line.count
        if room > 0 { line.append(contentsOf: bytes.prefix(room)) }
    }

    private mutating func finishLine() -> String {
        defer {
            line.removeAll(keepingCapacity: line.count <= 64 << 10)
            lineBytes = 0
        }
        if lineBytes > line.count {
            return String(decoding: line, as: UTF8.self) + "… [line truncated: \(lineBytes) bytes]"
        }
        if line.last == 0x0D { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
    }
}
