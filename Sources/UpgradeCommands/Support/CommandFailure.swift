import ArgumentParser
import Foundation
import UpgradeEngine

/// The one place that turns an error a command threw into its message and exit status.
///
/// `main` calls ``exitCode(for:)`` for every error a subcommand's `run()` throws, so a
/// failure reads the same everywhere: `error: <sentence>` on stderr, no stack of wrapped
/// errors. Exit status: 1 for a failure, 128 + signal when SIGINT/SIGTERM stopped the
/// command, and the code of an ``ArgumentParser/ExitCode`` a command threw after printing
/// its own findings. Usage errors (status 2) are found while parsing, before any command runs.
public enum CommandFailure {
    /// Prints `error` (unless it is an `ExitCode`, already explained) and returns the exit status.
    public static func exitCode(for error: any Error) -> Int32 {
        if let exit = error as? ExitCode { return exit.rawValue }
        return self.exit(error).rawValue
    }

    /// Whether a command's `run()` threw ArgumentParser's request to print something and exit 0.
    ///
    /// `--help`, `-h`, `help` and `help <subcommand>` do not fail the parse: they parse into
    /// ArgumentParser's built-in help command, whose `run()` throws the help request (a
    /// `CommandError` carrying `helpRequested`) for the caller to print. ArgumentParser's own
    /// `main()` prints it through `exit(withError:)`; `main` here must do the same, or the request
    /// is reported as a failure (`error: CommandError(... helpRequested ...)`, status 1). A
    /// `CleanExit` is such a request too.
    public static func isParserRequest(_ error: any Error) -> Bool {
        if error is CleanExit { return true }
        if error is ExitCode { return false }
        return OMSUpgradeCommand.exitCode(for: error) == .success
    }

    /// Prints an error as one sentence on stderr and returns the status to exit with.
    static func exit(_ error: any Error, code: Int32 = 1) -> ExitCode {
        if let signal = ProcessSignals.shared.signal {
            // A signal stopped the command: whatever error the cancellation surfaced, say so and exit 128 + signal.
            let text =
                (error as? EngineError)?.isInterruption == true
                ? String(describing: error)
                : "\(String(describing: Interruption.error(signal))) (\(String(describing: error)))"
            FileHandleOutput.standardError("error: \(text)")
            return ExitCode(128 + signal)
        }
        FileHandleOutput.standardError("error: \(String(describing: error))")
        return ExitCode(code)
    }
}

/// Writes whole lines to stdout (results) or stderr (messages).
enum FileHandleOutput {
    static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Prints a value as pretty JSON on stdout.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        standardOutput(String(decoding: data, as: UTF8.self))
    }
}
