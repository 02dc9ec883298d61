/// The text of `ha.config` read the way OceanBase's deployer (OBD) reads it, edited in place.
///
/// OBD's OMS upgrade refuses while any top-level key whose name contains `enable` holds a true
/// value (`plugins/oms/*/upgrade_pre.py` in oceanbase/obdeploy). A value is true here when it is
/// the boolean `true`, the string `"true"` (any case) or a non-zero number. Edits replace only
/// the values of the keys they name, byte for byte, so every other key, the order and the
/// spacing of the text stay as they were.
public struct HAConfigText: Sendable, Equatable {
    /// One top-level member: its decoded key, the kind of its value and where the value's text lies.
    struct Member: Sendable, Equatable {
        var key: String
        var kind: Kind
        var valueRange: Range<Int>
    }

    /// The JSON kind of a member's value.
    enum Kind: Sendable, Equatable {
        case bool, string, number, null, object, array
    }

    /// The text as stored.
    public let raw: String
    let bytes: [UInt8]
    let members: [Member]
    /// The offset of the closing brace of the top-level object.
    let closingBrace: Int

    /// Parses `raw`; throws ``HAConfigError`` when it is not one JSON object.
    public init(_ raw: String) throws(HAConfigError) {
        self.raw = raw
        bytes = Array(raw.utf8)
        var scanner = JSONScanner(bytes: bytes)
        do {
            let (members, close) = try scanner.topLevelObject()
            self.members = members
            closingBrace = close
        } catch {
            throw HAConfigError(text: raw, reason: error.reason)
        }
    }

    /// The top-level keys whose name contains `enable` and whose value is true, in text order, each once.
    public var enabledKeys: [String] {
        var seen = Set<String>()
        return members.filter { $0.key.contains("enable") && isTrue($0) && seen.insert($0.key).inserted }.map(\.key)
    }

    /// Whether HA is on as OBD sees it: some `enable` key holds a true value.
    public var isEnabled: Bool { !enabledKeys.isEmpty }

    /// The text with every one of `keys` that holds a true value set to the JSON `false`.
    ///
    /// `false` whatever the value's kind: OBD tests values with Python's truth (`if v`), to which
    /// the string `"false"` is true; the original values come back with ``restoring(_:from:)``.
    public func switchingOff(_ keys: [String]) -> String {
        edit { member in keys.contains(member.key) && isTrue(member) ? "false" : nil }
    }

    /// The text with every one of `keys` set back to its value in `original`, added when missing.
    public func restoring(_ keys: [String], from original: HAConfigText) -> String {
        var values: [String: String] = [:]
        for member in original.members where keys.contains(member.key) && original.isTrue(member) {
            values[member.key] = original.text(member.valueRange)
        }
        var text = edit { member in values[member.key] }
        let missing = keys.filter { key in values[key] != nil && !members.contains { $0.key == key } }
        guard !missing.isEmpty else { return text }
        let added = missing.map { "\(Self.jsonString($0)):\(values[$0] ?? "true")" }.joined(separator: ",")
        // Re-parse the edited text to find its closing brace: the edits above may have moved it.
        guard let edited = try? HAConfigText(text) else { return text }
        let before = edited.text(0..<edited.closingBrace)
        let after = edited.text(edited.closingBrace..<edited.bytes.count)
        text = before + (edited.members.isEmpty ? "" : ",") + added + after
        return text
    }

    /// Whether a member's value counts as true.
    func isTrue(_ member: Member) -> Bool {
        let text = text(member.valueRange)
        switch member.kind {
        case .bool: return text == "true"
        case .string: return (try? JSONScanner.decodeString(Array(text.utf8)))?.lowercased() == "true"
        case .number: return (Double(text) ?? 0) != 0
        case .null, .object, .array: return false
        }
    }

    private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// The text with each member's value replaced by `replacement(member)` when that is not nil.
    private func edit(_ replacement: (Member) -> String?) -> String {
        var out: [UInt8] = []
        var position = 0
        for member in members {
            guard let new = replacement(member) else { continue }
            out += bytes[position..<member.valueRange.lowerBound]
            out += Array(new.utf8)
            position = member.valueRange.upperBound
        }
        out += bytes[position...]
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += "\\u" + hex4(scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Four lowercase hex digits of `value`.
private func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
