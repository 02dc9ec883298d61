import Foundation
import Synchronization

/// An append-only record of a run, one JSON object per line, flushed to disk before the next action.
///
/// The journal is the source of truth for `status`, `resume` and `rollback`: replaying it gives
/// the state of every step (see ``JournalState``).
public final class Journal: Sendable {
    /// The file the journal lives in.
    public let url: URL
    private let state: Mutex<[JournalEntry]>

    /// Opens the journal at `url`, creating it (0600) when absent, and reads what it holds.
    ///
    /// A torn last line (the process died mid-write) is ignored: the entry never happened.
    public init(url: URL) throws {
        self.url = url
        let manager = FileManager.default
        if !manager.fileExists(atPath: url.path) {
            guard manager.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw EngineError.io("cannot create the journal at \(url.path)")
            }
        }
        let data = try Data(contentsOf: url)
        var entries: [JournalEntry] = []
        let decoder = Self.decoder
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let entry = try? decoder.decode(JournalEntry.self, from: Data(line)) {
                entries.append(entry)
            }
        }
        state = Mutex(entries)
    }

    /// Every entry so far, oldest first.
    public var entries: [JournalEntry] { state.withLock { $0 } }

    /// The state of the run that the entries describe.
    public var replayed: JournalState { JournalState(entries: entries) }

    /// Appends an entry and forces it to disk before returning.
    @discardableResult
    public func append(_ event: JournalEntry.Event, step: StepID? = nil, facts: [String: String] = [:],
                       message: String? = nil) throws -> JournalEntry {
        try state.withLock { entries in
            let entry = JournalEntry(sequence: (entries.last?.sequence ?? 0) + 1, event: event, step: step,
                                     facts: facts, message: message)
            var line = try Self.encoder.encode(entry)
            line.append(UInt8(ascii: "\n"))
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
            try handle.synchronize()
            entries.append(entry)
            return entry
        }
    }

    // Timestamps keep milliseconds: step durations and the downtime are computed from them.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601.time(includingFractionalSeconds: true).year().month().day().dateSeparator(.dash).dateTimeSeparator(.standard).timeSeparator(.colon).timeZone(separator: .omitted)))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: .iso8601.time(includingFractionalSeconds: true).year().month().day().dateSeparator(.dash).dateTimeSeparator(.standard).timeSeparator(.colon).timeZone(separator: .omitted)) {
                return date
            }
            return try Date(text, strategy: .iso8601)
        }
        return decoder
    }()
}
