/// How progress is drawn on standard error.
public enum ProgressMode: String, Sendable, CaseIterable {
    /// Redraws one line in place on a terminal, plain lines otherwise.
    case auto
    /// One line per update, suitable for logs and pipes.
    case plain
    /// Nothing at all.
    case none
}
