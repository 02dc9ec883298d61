import Foundation

/// An OMS Community Edition release, as read from an image tag or a `--from-version` string.
///
/// Ordered by major, minor, patch and then bug-fix pack (`_bp1`). Printed as `3.3.0-CE`
/// (`4.0.0-CE_BP1` with a bug-fix pack).
public struct OMSVersion: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The first number.
    public var major: Int
    /// The second number.
    public var minor: Int
    /// The third number.
    public var patch: Int
    /// The bug-fix pack (`feature_4.0.0-ce_bp1` → 1); 0 for none.
    public var bugfixPack: Int

    /// Creates a version.
    public init(_ major: Int, _ minor: Int, _ patch: Int, bugfixPack: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.bugfixPack = bugfixPack
    }

    /// Parses a version out of an image reference or a version string: `oms:feature_3.3.0_ce`,
    /// `feature_3.3.0-ce`, `oms:feature_4.0.0-ce_bp1`, `reg.example.com:5000/oceanbase/oms:feature_3.2.2_ce`,
    /// `oms-fixture:3.2.2`, `3.2.2-CE`, `3.2.2`. Nil when no `X.Y.Z` is found in the tag (or the
    /// reference has no tag, or is a digest or image id).
    public init?(parsing text: String) {
        var reference = text.trimmingCharacters(in: .whitespaces)
        if let at = reference.firstIndex(of: "@") { reference = String(reference[..<at]) }  // drop a digest
        if reference.hasPrefix("sha256:") { return nil }
        // The tag is what follows the last ':' after the last '/'; a bare version string is its own tag.
        let lastSlash = reference.lastIndex(of: "/")
        let tag: Substring
        if let colon = reference.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            tag = reference[reference.index(after: colon)...]
        } else if lastSlash == nil {
            tag = Substring(reference)
        } else {
            return nil  // `registry:5000/oms` has no tag
        }
        guard let parsed = Self.scan(tag) else { return nil }
        self = parsed
    }

    /// Finds the first `X.Y.Z` in `tag` and an optional `bpN` after it.
    private static func scan(_ tag: Substring) -> OMSVersion? {
        let characters = Array(tag)
        var index = 0
        while index < characters.count {
            // Only start a number at a digit that does not continue a longer run of digits/dots.
            if characters[index].isASCIIDigit,
                index == 0 || !(characters[index - 1].isASCIIDigit || characters[index - 1] == ".")
            {
                var numbers: [Int] = []
                var cursor = index
                while numbers.count < 3 {
                    let start = cursor
                    while cursor < characters.count, characters[cursor].isASCIIDigit { cursor += 1 }
                    guard cursor > start, let value = Int(String(characters[start..<cursor])) else { break }
                    numbers.append(value)
                    if numbers.count < 3 {
                        guard cursor < characters.count, characters[cursor] == "." else { break }
                        cursor += 1
                    }
                }
                if numbers.count == 3, cursor == characters.count || characters[cursor] != "." {
                    let rest = String(characters[cursor...]).lowercased()
                    return OMSVersion(numbers[0], numbers[1], numbers[2], bugfixPack: bugfixPack(in: rest))
                }
            }
            index += 1
        }
        return nil
    }

    /// The `N` of a `bpN` marker in what follows the version (`-ce_bp1`, `_bp2`, `-bp3`).
    private static func bugfixPack(in rest: String) -> Int {
        guard let range = rest.range(of: "bp") else { return 0 }
        let digits = rest[range.upperBound...].prefix { $0.isASCIIDigit }
        return Int(digits) ?? 0
    }

    /// `X.Y.Z` without edition or bug-fix pack.
    public var number: String { "\(major).\(minor).\(patch)" }

    /// The same release without its bug-fix pack: routes are documented per `X.Y.Z`.
    public var release: OMSVersion { OMSVersion(major, minor, patch) }

    /// `3.3.0-CE`, or `4.0.0-CE_BP1`.
    public var description: String { bugfixPack > 0 ? "\(number)-CE_BP\(bugfixPack)" : "\(number)-CE" }

    /// The default container name for this release: `oms_330` for 3.3.0.
    public var defaultContainerName: String { "oms_\(major)\(minor)\(patch)" }

    public static func < (lhs: OMSVersion, rhs: OMSVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch, lhs.bugfixPack) < (rhs.major, rhs.minor, rhs.patch, rhs.bugfixPack)
    }

    /// Encoded as its printed form, `3.3.0-CE`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = OMSVersion(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an OMS version: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Character {
    /// Whether this is one of `0`...`9`.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
