/// One environment variable of a container, in the order the engine reports it.
///
/// The value may itself contain `=`; only the first `=` of `NAME=VALUE` separates the two.
public struct EnvVar: Sendable, Codable, Hashable {
    /// The variable's name.
    public var name: String
    /// The variable's value (may be empty, may contain `=`).
    public var value: String

    /// Creates a variable.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
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
    private static let markers = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "PRIVATE_KEY", "API_KEY",
                                  "ACCESS_KEY", "CREDENTIAL", "AUTH"]

    /// Whether a variable or option name suggests its value is a secret.
    public static func looksSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        if markers.contains(where: { upper.contains($0) }) { return true }
        // `PWD` alone is the working directory; `DB_PWD` and the like are passwords.
        return upper.hasSuffix("_PWD") || upper.hasSuffix("_PASS") || upper == "PASS"
    }
}
