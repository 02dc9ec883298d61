import Foundation

/// Formatting shared by progress lines: durations, ETAs and the bar drawn on a terminal.
public enum ProgressFormat {
    /// A duration for humans: `0.4s`, `42s`, `3m05s`, `1h02m`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        if seconds < 10 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, (whole % 3600) / 60)
    }

    /// The time left at the average rate so far, nil when it cannot be estimated yet.
    public static func remaining(completed: Int64, total: Int64, elapsed: Double) -> Double? {
        guard completed > 0, total > completed, elapsed > 0 else { return nil }
        return elapsed * Double(total - completed) / Double(completed)
    }

    /// A fixed-width bar such as `[#######.............]` for a fraction between 0 and 1.
    public static func bar(fraction: Double, width: Int = 20) -> String {
        let clamped = min(1, max(0, fraction.isFinite ? fraction : 0))
        let filled = Int((clamped * Double(width)).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }

    /// `line` cut to at most `width` characters (a terminal line that wraps cannot be redrawn in place).
    public static func fit(_ line: String, width: Int?) -> String {
        guard let width, width > 1, line.count > width - 1 else { return line }
        return String(line.prefix(width - 2)) + "…"
    }
}
