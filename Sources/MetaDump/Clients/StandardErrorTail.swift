/// What a client program printed on standard error, kept within a bound whatever it printed.
///
/// The first ``headLimit`` and the last ``tailLimit`` bytes are kept (the first
/// error and the final one), with a note of how much was left out between them;
/// a single line of any length is never an error of its own.
struct StandardErrorTail: Sendable {
    static let headLimit = 8 << 10
    static let tailLimit = 8 << 10

    private var head: [UInt8] = []
    private var tail: [UInt8] = []
    private var total = 0

    /// Adds the next bytes.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        total += bytes.count
        var rest = bytes[...]
        if head.count < Self.headLimit {
            let taken = rest.prefix(Self.headLimit - head.count)
            head.append(contentsOf: taken)
            rest = rest.dropFirst(taken.count)
        }
        guard !rest.isEmpty else { return }
        tail.append(contentsOf: rest.suffix(Self.tailLimit))
        if tail.count > 2 * Self.tailLimit { tail.removeFirst(tail.count - Self.tailLimit) }
    }

    /// The kept text; the omitted middle, if any, is named with its size.
    var text: String {
        let kept = tail.suffix(Self.tailLimit)
        let omitted = total - head.count - kept.count
        var out = String(decoding: head, as: UTF8.self)
        if omitted > 0 { out += "… [\(omitted) bytes omitted] …" }
        out += String(decoding: kept, as: UTF8.self)
        return out
    }
}
