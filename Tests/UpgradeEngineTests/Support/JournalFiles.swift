import Foundation
import SandboxSupport

/// Journal files for the tests of the journal itself: a fresh one, and bytes written past its end
/// as a process that died mid-write (or a hand) would leave them.
enum JournalFiles {
    /// `journal.jsonl` in a new private (0700) directory; the file does not exist yet.
    static func freshURL() throws -> URL {
        try Sandbox.makePrivateTempDirectory().appending(path: "journal.jsonl")
    }

    /// Appends `text` to the file at `url` as it is: no newline added, no check of what it holds.
    static func appendRaw(_ text: String, to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}
