/// One environment variable of a container, in the order the engine reports it.
///
/// The value may itself contain `=`; only the first `=` of `NAME=VALUE` separates the two.
///
/// Encoded (plans, `plan --json`, reports) a secret-looking variable keeps only its name: its
/// value is never written anywhere. Decoded back, its value is empty and ``valueWithheld`` is
/// set; the run takes the value from the old container again when it starts the new one.
public struct EnvVar: Sendable, Codable, Hashable {
    /// The variable's name.
    public var name: String
    /// The variable's value (may be empty, may contain `=`).
    public var value: String

    /// Whether the value was left out when this variable was encoded (a secret; see ``looksSecret``).
    public var valueWithheld = false

    /// Creates a variable.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    private enum CodingKeys: String, CodingKey {
        case name, value, valueWithheld
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        value = try container.decodeIfPresent(String.self, forKey: .value) ?? ""
        valueWithheld = try container.decodeIfPresent(Bool.self, forKey: .valueWithheld) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        if looksSecret || valueWithheld {
            try container.encode(true, forKey: .valueWithheld)
        } else {
            try container.encode(value, forKey: .value)
        }
    }

    /// Parses `NAME=VALUE` as Docker prints it; a bare `NAME` has an empty value.
    public init(parsing entry: String) {
        if let equals = entry.firstIndex(of: "=") {
            name = String(entry[..<equals])
            value = String(entry[entry.index(after: equals)...])
        } else {
            name = entry
            value = ""
        }
    }

    /// Whether the name suggests a secret (password, token, key...): such values are never
    /// put on a command line or printed.
    public var looksSecret: Bool { SecretNames.looksSecret(name) }
}

/// The heuristic that tells secret-looking variable names apart.
public enum SecretNames {
    private static let markers = [
        "PASSWORD", "PASSWD", "SECRET", "TOKEN", "PRIVATE_KEY", "API_KEY",
        "ACCESS_KEY", "CREDENTIAL", "AUTH",
    ]

    /// Whether a variable or option name suggests its value is a secret.
    public static func looksSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        if markers.contains(where: { upper.contains($0) }) { return true }
        // `PWD` alone is the working directory; `DB_PWD` and the like are passwords.
        return upper.hasSuffix("_PWD") || upper.hasSuffix("_PASS") || upper == "PASS"
    }
}
