import Foundation

/// What a task counts, which decides how amounts and rates are printed.
public enum ProgressUnit: Sendable {
    /// Plain counts such as rows or tables.
    case items
    /// Bytes, printed as KiB, MiB, GiB.
    case bytes
    /// Seconds of a wait with a deadline: shown as elapsed of the limit, never as a rate.
    case seconds

    /// Formats `amount` for humans: `1.2M rows` style for items, `3.4 MiB` for bytes, `12s` for seconds.
    public func format(_ amount: Double, noun: String = "rows") -> String {
        switch self {
        case .items:
            if amount >= 1_000_000 { return String(format: "%.1fM %@", amount / 1_000_000, noun) }
            if amount >= 10_000 { return String(format: "%.0fk %@", amount / 1_000, noun) }
            return "\(Int64(amount)) \(noun)"
        case .bytes:
            let units = ["B", "KiB", "MiB", "GiB", "TiB"]
            var value = amount
            var index = 0
            while value >= 1024, index < units.count - 1 {
                value /= 1024
                index += 1
            }
            return index == 0 ? "\(Int64(value)) B" : String(format: "%.1f %@", value, units[index])
        case .seconds:
            return ProgressFormat.duration(amount)
        }
    }
}
