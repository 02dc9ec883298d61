/// A password or other credential that never prints itself.
///
/// `description`, `debugDescription`, string interpolation, `print`, `dump` and
/// `Mirror` all show `******`; only ``reveal()`` gives the value, and it should
/// be called only where the value is handed to the server.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    /// Wraps a credential.
    public init(_ value: String) {
        self.value = value
    }

    /// The credential itself. Never log or print the result.
    public func reveal() -> String {
        value
    }

    /// Whether the credential is the empty string.
    public var isEmpty: Bool { value.isEmpty }

    /// Always `******`.
    public var description: String { "******" }

    /// Always `******`.
    public var debugDescription: String { "******" }

    /// A mirror with no children, so `dump` and reflection cannot show the value.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
