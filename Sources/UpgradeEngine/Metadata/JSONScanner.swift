/// A strict JSON reader over UTF-8 bytes that reports where the top-level object's values lie.
///
/// It validates the whole text (RFC 8259: strings with escapes, numbers, literals, nesting) and
/// keeps the byte range of each top-level member's value, so a caller can edit one value without
/// re-serializing the rest.
struct JSONScanner {
    /// Why a text is not one JSON object.
    struct Failure: Error {
        var reason: String
    }

    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The members of the one top-level object and the offset of its closing brace.
    mutating func topLevelObject() throws(Failure) -> ([HAConfigText.Member], Int) {
        skipSpace()
        guard peek == UInt8(ascii: "{") else {
            throw Failure(reason: bytes.isEmpty ? "it is empty" : "it is not a JSON object")
        }
        index += 1
        var members: [HAConfigText.Member] = []
        skipSpace()
        if peek == UInt8(ascii: "}") {
            let close = index
            index += 1
            try expectEnd()
            return (members, close)
        }
        while true {
            skipSpace()
            let keyStart = index
            try skipString()
            let key = try Self.decodeString(Array(bytes[keyStart..<index]))
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            let valueStart = index
            let kind = try skipValue(depth: 0)
            members.append(HAConfigText.Member(key: key, kind: kind, valueRange: valueStart..<index))
            skipSpace()
            if peek == UInt8(ascii: ",") {
                index += 1
                continue
            }
            let close = index
            try expect(UInt8(ascii: "}"))
            try expectEnd()
            return (members, close)
        }
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        guard peek == byte else { throw failure("expected '\(Character(UnicodeScalar(byte)))'") }
        index += 1
    }

    private mutating func expectEnd() throws(Failure) {
        skipSpace()
        guard index == bytes.count else { throw failure("text follows the object") }
    }

    private func failure(_ what: String) -> Failure {
        Failure(reason: "\(what) at byte \(index)")
    }

    /// Skips an object's or an array's members, from its opening byte through `close`; `keyed`: each
    /// member is a `"key": value` pair (an object's).
    private mutating func skipMembers(closedBy close: UInt8, keyed: Bool, depth: Int) throws(Failure) {
        index += 1
        skipSpace()
        if peek == close {
            index += 1
            return
        }
        while true {
            skipSpace()
            if keyed {
                try skipString()
                skipSpace()
                try expect(UInt8(ascii: ":"))
                skipSpace()
            }
            _ = try skipValue(depth: depth + 1)
            skipSpace()
            guard peek == UInt8(ascii: ",") else { break }
            index += 1
        }
        try expect(close)
    }

    private mutating func skipValue(depth: Int) throws(Failure) -> HAConfigText.Kind {
        guard depth < 64 else { throw failure("nested too deep") }
        switch peek {
        case UInt8(ascii: "\""):
            try skipString()
            return .string
        case UInt8(ascii: "{"):
            try skipMembers(closedBy: UInt8(ascii: "}"), keyed: true, depth: depth)
            return .object
        case UInt8(ascii: "["):
            try skipMembers(closedBy: UInt8(ascii: "]"), keyed: false, depth: depth)
            return .array
        case UInt8(ascii: "t"):
            try skipLiteral("true")
            return .bool
        case UInt8(ascii: "f"):
            try skipLiteral("false")
            return .bool
        case UInt8(ascii: "n"):
            try skipLiteral("null")
            return .null
        case .some(let byte) where byte == UInt8(ascii: "-") || (0x30...0x39).contains(byte):
            try skipNumber()
            return .number
        default:
            throw failure(peek == nil ? "the text ends early" : "unexpected character")
        }
    }

    private mutating func skipLiteral(_ word: String) throws(Failure) {
        let literal = Array(word.utf8)
        guard index + literal.count <= bytes.count, Array(bytes[index..<index + literal.count]) == literal else {
            throw failure("unexpected word")
        }
        index += literal.count
    }

    private mutating func skipDigits() -> Int {
        let start = index
        while let byte = peek, (0x30...0x39).contains(byte) { index += 1 }
        return index - start
    }

    private mutating func skipNumber() throws(Failure) {
        if peek == UInt8(ascii: "-") { index += 1 }
        if peek == UInt8(ascii: "0") {
            index += 1
        } else if skipDigits() == 0 {
            throw failure("a number without digits")
        }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { throw failure("a number without digits after '.'") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw failure("a number without an exponent") }
        }
    }

    private mutating func skipString() throws(Failure) {
        guard peek == UInt8(ascii: "\"") else { throw failure("expected a string") }
        index += 1
        while let byte = peek {
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return
            case UInt8(ascii: "\\"):
                guard let escape = peek else { break }
                index += 1
                if escape == UInt8(ascii: "u") {
                    guard index + 4 <= bytes.count, bytes[index..<index + 4].allSatisfy(Self.isHex) else {
                        throw failure("a bad \\u escape")
                    }
                    index += 4
                } else if !Array("\"\\/bfnrt".utf8).contains(escape) {
                    throw failure("a bad escape")
                }
            case 0..<0x20: throw failure("a control character inside a string")
            default: continue
            }
        }
        throw failure("an unterminated string")
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// The value of a JSON string literal (quotes included), escapes decoded.
    static func decodeString(_ literal: [UInt8]) throws(Failure) -> String {
        guard literal.count >= 2 else { throw Failure(reason: "a bad string") }
        var units: [UInt16] = []
        var text = ""
        func flush() {
            if !units.isEmpty {
                text += String(decoding: units, as: UTF16.self)
                units.removeAll()
            }
        }
        let body = String(decoding: literal[1..<(literal.count - 1)], as: UTF8.self)
        var iterator = body.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\\", let escape = iterator.next() else {
                flush()
                text.unicodeScalars.append(scalar)
                continue
            }
            switch escape {
            case "u":
                var hex = ""
                for _ in 0..<4 { if let digit = iterator.next() { hex.unicodeScalars.append(digit) } }
                guard let unit = UInt16(hex, radix: 16) else { throw Failure(reason: "a bad \\u escape") }
                units.append(unit)
                continue
            case "b":
                flush()
                text += "\u{8}"
            case "f":
                flush()
                text += "\u{C}"
            case "n":
                flush()
                text += "\n"
            case "r":
                flush()
                text += "\r"
            case "t":
                flush()
                text += "\t"
            default:
                flush()
                text.unicodeScalars.append(escape)
            }
        }
        flush()
        return text
    }
}
