import Foundation
import Synchronization

/// The run's human-readable log (`run.log`, 0600): step events and the init script's output.
///
/// Nothing secret is written here; the metadata password never reaches the engine's messages.
public final class RunLog: Sendable {
    private let handle: Mutex<FileHandle?>

    /// Opens (creating when needed) the log at `url` for appending.
    public init(url: URL) {
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let fileHandle = try? FileHandle(forWritingTo: url)
        _ = try? fileHandle?.seekToEnd()
        handle = Mutex(fileHandle)
    }

    /// Appends one timestamped line.
    public func write(_ line: String) {
        let stamp = Date().formatted(.iso8601)
        handle.withLock { handle in
            try? handle?.write(contentsOf: Data("\(stamp) \(line)\n".utf8))
        }
    }

    /// Closes the file.
    public func close() {
        handle.withLock { handle in
            try? handle?.close()
            handle = nil
        }
    }
}
