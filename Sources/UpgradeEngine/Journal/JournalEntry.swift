import Foundation

/// One line of the journal: something that happened to a step or to the run.
///
/// Entries hold no secrets: facts are container ids, file paths, database names and counts.
public struct JournalEntry: Codable, Sendable, Equatable {
    /// What happened.
    public enum Event: String, Codable, Sendable {
        case runStarted = "run-started"
        case stepStarted = "step-started"
        case stepCompleted = "step-completed"
        case stepFailed = "step-failed"
        case upgradeFinished = "upgrade-finished"
        case rollbackStarted = "rollback-started"
        case rollbackFinished = "rollback-finished"
        case note
        /// A signal (SIGINT, SIGTERM) stopped the run at a safe point; `resume` or `rollback` finishes it.
        case interrupted
        /// One node of a multi-node run began its part of a step (``JournalEntry/node`` names it).
        case nodeStarted = "node-started"
        /// One node finished its part of a step; the result is that node's part of the step's.
        case nodeCompleted = "node-completed"
        /// One node's part of a step failed; the message says why.
        case nodeFailed = "node-failed"
    }

    /// The position of the entry in its journal, from 1.
    public var sequence: Int
    /// When it was written.
    public var time: Date
    /// What happened.
    public var event: Event
    /// The step it concerns, if any.
    public var step: StepID?
    /// What a note or the run's start records: ids, paths, names, counts, as strings (see
    /// ``JournalFact``). A journal of an earlier version records steps' results here too.
    public var facts: [String: String]
    /// What the step returned, on `step-completed` (the step's ``StepResult`` as JSON) and on
    /// `node-completed` (that node's part); nil otherwise and in journals of earlier versions.
    public var result: JSONValue?
    /// Why a step failed, as the sentence shown to the operator.
    public var message: String?
    /// The node (its IP) a `node-…` entry is about; nil for the run or a step as a whole.
    public var node: String?

    public init(
        sequence: Int, time: Date = Date(), event: Event, step: StepID? = nil,
        facts: [String: String] = [:], result: JSONValue? = nil, message: String? = nil, node: String? = nil
    ) {
        self.sequence = sequence
        self.time = time
        self.event = event
        self.step = step
        self.facts = facts
        self.result = result
        self.message = message
        self.node = node
    }
}

extension JournalEntry.Event {
    /// Reads an event by its name; `step-skipped` reads as `step-completed`.
    ///
    /// The format named a `step-skipped` event that ended a step with nothing to do. No version
    /// wrote it, and it is gone; a journal that holds it still replays, the step counted as done.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        if name == "step-skipped" {
            self = .stepCompleted
            return
        }
        guard let event = Self(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Cannot initialize Event from invalid String value \(name)")
        }
        self = event
    }
}
