import Foundation

/// An error of the test sandbox: it is not up, or a command it ran failed.
///
/// The message never contains a password: commands get credentials through
/// 0600 defaults files, and only their exit status and stderr are reported.
public struct SandboxError: Error, CustomStringConvertible, LocalizedError, Sendable {
    /// What went wrong, ready to show to a developer.
    public var message: String

    /// Creates an error with the given message.
    public init(_ message: String) {
        self.message = message
    }

    /// The hint every "sandbox is not up" error ends with.
    public static let sandboxUpHint = "run `scripts/sandbox-up.sh` to install and start MariaDB and dockerd"

    /// An error saying the sandbox is not usable because of `reason`, with the fix.
    public static func notUp(_ reason: String) -> SandboxError {
        SandboxError("\(reason): \(sandboxUpHint)")
    }

    /// The message.
    public var description: String { message }

    /// The message, for `localizedDescription`.
    public var errorDescription: String? { message }
}
