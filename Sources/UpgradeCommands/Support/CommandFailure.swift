import ArgumentParser
import Foundation
import UpgradeEngine

/// Prints an error as one sentence on stderr and exits with `code`.
///
/// Used by every command so that a failure reads the same everywhere: `error: <sentence>`,
/// no stack of wrapped errors, and a non-zero exit status.
enum CommandFailure {
    static func exit(_ error: any Error, code: Int32 = 1) -> ExitCode {
        if let signal = Interruption.shared.signal {
            // A signal stopped the command: whatever error the cancellation surfaced, say so and exit 128 + signal.
            let text = (error as? EngineError)?.isInterruption == true ? String(describing: error)
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
