import Foundation
import Synchronization

/// An append-only record of a run, one JSON object per line, flushed to disk before the next action.
///
/// The journal is the source of truth for `status`, `resume` and `rollback`: replaying it gives
/// the state of every step (see ``JournalState``).
public final class Journal: Sendable {
    /// The file the journal lives in.
    public let url: URL
    private let state: Mutex<Contents>

    /// The entries read or written so far, and where a torn tail must be cut before the next append.
    private struct Contents {
        var entries: [JournalEntry]
        var truncateTo: Int?
    }

    /// Opens the journal at `url`, creating it (0600) when absent, and reads what it holds.
    ///
    /// A torn last line (the process died mid-write: no newline at the end) never happened: it
    /// is ignored, and cut off the file before the next append so that the next entry starts on
    /// a line of its own (a reader such as `status` never changes the file). A complete line that
    /// cannot be read is damage, not a crash: the journal is refused, naming the file and line.
    public init(url: URL) throws {
        self.url = url
        try DurableFile.createIfAbsent(url)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw EngineError.io("cannot read the journal \(url.path): \(error.localizedDescription)")
        }
        let parsed = try Self.parse(data, path: url.path)
        state = Mutex(
            Contents(
                entries: parsed.entries,
                truncateTo: parsed.completeLength < data.count ? parsed.completeLength : nil))
    }

    /// The entries of a journal file and the length of its complete lines (without a torn tail).
    static func parse(_ data: Data, path: String) throws -> (entries: [JournalEntry], completeLength: Int) {
        let bytes = [UInt8](data)
        let newline = UInt8(ascii: "\n")
        let completeLength = (bytes.lastIndex(of: newline) ?? -1) + 1
        var entries: [JournalEntry] = []
        var lineNumber = 0
        for line in bytes[..<completeLength].split(separator: newline, omittingEmptySubsequences: false).dropLast() {
            lineNumber += 1
            if line.isEmpty { continue }
            do {
                entries.append(try decoder.decode(JournalEntry.self, from: Data(line)))
            } catch {
                throw EngineError.io(
                    "the journal \(path) has an unreadable entry at line \(lineNumber) (it was changed or damaged "
                        + "after it was written); restore the file from a copy or remove that line by hand, "
                        + "then run the command again")
            }
        }
        return (entries, completeLength)
    }

    /// Every entry so far, oldest first.
    public var entries: [JournalEntry] { state.withLock { $0.entries } }

    /// The state of the run that the entries describe.
    public var replayed: JournalState { JournalState(entries: entries) }

    /// Appends an entry and forces it to disk before returning.
    @discardableResult
    public func append(
        _ event: JournalEntry.Event, step: StepID? = nil, facts: [JournalFact: String],
        message: String? = nil
    ) throws -> JournalEntry {
        try append(event, step: step, facts: JournalFact.facts(facts), message: message)
    }

    /// Appends an entry with facts keyed by their journal names and forces it to disk before returning.
    @discardableResult
    public func append(
        _ event: JournalEntry.Event, step: StepID? = nil, facts: [String: String] = [:],
        result: JSONValue? = nil, message: String? = nil, node: String? = nil
    ) throws -> JournalEntry {
        try state.withLock { contents in
            let entry = JournalEntry(
                sequence: (contents.entries.last?.sequence ?? 0) + 1, event: event, step: step,
                facts: facts, result: result, message: message, node: node)
            var line = try Self.encoder.encode(entry)
            line.append(UInt8(ascii: "\n"))
            if let length = contents.truncateTo {
                try DurableFile.truncate(url, to: length)
                contents.truncateTo = nil
            }
            try DurableFile.append(line, to: url)
            contents.entries.append(entry)
            return entry
        }
    }

    // Timestamps keep milliseconds: step durations and the downtime are computed from them.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(
                date.formatted(
                    .iso8601.time(includingFractionalSeconds: true).year().month().day().dateSeparator(.dash)
                        .dateTimeSeparator(.standard).timeSeparator(.colon).timeZone(separator: .omitted)))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(
                text,
                strategy: .iso8601.time(includingFractionalSeconds: true).year().month().day().dateSeparator(.dash)
                    .dateTimeSeparator(.standard).timeSeparator(.colon).timeZone(separator: .omitted))
            {
                return date
            }
            return try Date(text, strategy: .iso8601)
        }
        return decoder
    }()
}
