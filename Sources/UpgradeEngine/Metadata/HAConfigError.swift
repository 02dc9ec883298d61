import Foundation

/// `ha.config` is not one JSON object, so whether HA is on cannot be told.
///
/// Prints the row's text with secret-looking values masked, why it was refused, and what to do.
public struct HAConfigError: Error, Sendable, CustomStringConvertible {
    /// The row's text as stored (never printed unmasked).
    let text: String
    /// Why the text was refused.
    public let reason: String

    /// What is wrong, with the text (secrets masked).
    public var problem: String {
        "ha.config in oms_normal_config cannot be read as a JSON object (\(reason)), so whether HA is on"
            + " cannot be told: \(Self.masked(text))."
    }

    /// What the operator can do.
    public var remedy: String {
        "Fix the row so it is one JSON object (for example {\"enable\": false}), or set HA in the OMS console, then plan again."
    }

    public var description: String { problem + " " + remedy }

    /// `text` with the value after any key naming a secret replaced by `***`, cut to 300 characters.
    static func masked(_ text: String) -> String {
        let pattern =
            #"("?[A-Za-z0-9_.-]*(?i:password|passwd|pwd|secret|token|credential|access_?key|private_?key)[A-Za-z0-9_.-]*"?\s*[:=]\s*)("(?:[^"\\]|\\.)*"?|[^,}\s]*)"#
        var masked = text
        if let regex = try? NSRegularExpression(pattern: pattern) {
            let range = NSRange(masked.startIndex..., in: masked)
            masked = regex.stringByReplacingMatches(in: masked, range: range, withTemplate: "$1***")
        }
        let shown = masked.count > 300 ? String(masked.prefix(300)) + "…" : masked
        return shown.isEmpty ? "(empty)" : "`\(shown)`"
    }
}
