/// What one run of the engine's CLI gave back.
struct CommandResult: Sendable {
    /// The exit code (128 + signal when killed by a signal).
    var exitCode: Int32
    /// Standard output.
    var stdout: String
    /// Standard error (or the combined output when both were read as one stream).
    var stderr: String

    /// Whether it exited 0.
    var succeeded: Bool { exitCode == 0 }
}
