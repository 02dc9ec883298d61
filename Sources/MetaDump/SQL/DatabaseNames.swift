import Foundation

/// Names of the sibling databases MetaDump creates: snapshots, quarantines, restore staging.
package enum DatabaseNames {
    /// MySQL's limit on database names, in characters.
    static let maxLength = 64

    /// `<db>__pre_<label>`.
    package static func snapshot(_ database: String, label: String) throws -> String {
        try checked("\(database)__pre_\(label)", for: database)
    }

    /// `<db>__quarantine_<label>_<UTC timestamp>`.
    package static func quarantine(_ database: String, label: String, at date: Date = Date()) throws -> String {
        try checked("\(database)__quarantine_\(label)_\(timestamp(date))", for: database)
    }

    /// `<db>__restore_<UTC timestamp>`: where a forced restore loads before swapping in.
    static func restoreStaging(_ database: String, at date: Date = Date()) throws -> String {
        try checked("\(database)__restore_\(timestamp(date))", for: database)
    }

    /// `yyyyMMddHHmmss` in UTC.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        return formatter.string(from: date)
    }

    /// Checks that a label is letters, digits and `_` only, at most 24 characters.
    package static func validateLabel(_ label: String) throws {
        let ok =
            !label.isEmpty && label.count <= 24
            && label.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_")
            }
        guard ok else {
            throw MetaDumpError(
                .invalidArgument, action: "Using snapshot label \"\(label)\"",
                reason: "a label must be 1 to 24 letters, digits or underscores",
                remedy: "Choose a label such as the source version, e.g. 322.")
        }
    }

    private static func checked(_ name: String, for database: String) throws -> String {
        guard name.count <= maxLength else {
            throw MetaDumpError(
                .invalidArgument, action: "Naming a sibling database of `\(database)`",
                reason: "`\(name)` is longer than MySQL's \(maxLength)-character limit", database: database,
                remedy: "Use a shorter label.")
        }
        return name
    }
}
