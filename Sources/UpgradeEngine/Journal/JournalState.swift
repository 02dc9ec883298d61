import Foundation

/// The state of a run, derived by replaying its journal.
public struct JournalState: Sendable {
    /// How far a step got.
    public enum Progress: String, Codable, Sendable {
        case pending, running, completed, failed
    }

    /// What the journal says about one step.
    public struct StepRecord: Sendable {
        public var progress: Progress = .pending
        public var started: Date?
        public var ended: Date?
        /// What notes recorded during the step (and, in a journal of an earlier version, its results).
        public var facts: [String: String] = [:]
        /// What the step returned when it last completed, as JSON; read it with ``result(_:)``.
        public var result: JSONValue?
        /// Whether the step last completed in a journal of an earlier version (results in ``facts``).
        var completedWithFacts = false
        public var message: String?
        /// How many times the step was started (more than one after a resume).
        public var attempts = 0

        /// How long the step took, when it ended.
        public var duration: TimeInterval? {
            guard let started, let ended else { return nil }
            return ended.timeIntervalSince(started)
        }

        /// What the step returned when it last completed, as the step's own type; nil when it
        /// never completed. A journal of an earlier version is read from its facts
        /// (``StepResult/init(legacyFacts:)``).
        public func result<R: StepResult>(_ type: R.Type) -> R? {
            if let result { return try? result.decode(R.self) }
            return completedWithFacts ? R(legacyFacts: facts) : nil
        }
    }

    /// The run's overall phase.
    public enum Phase: String, Codable, Sendable {
        case notStarted = "not-started"
        case upgrading
        case upgraded
        case rollingBack = "rolling-back"
        case rolledBack = "rolled-back"
    }

    public private(set) var steps: [StepID: StepRecord] = [:]
    public private(set) var phase: Phase = .notStarted
    public private(set) var runStarted: Date?
    public private(set) var runFacts: [String: String] = [:]
    /// Why the rollback was started, when it was.
    public private(set) var rollbackReason: String?

    public init(entries: [JournalEntry]) {
        for entry in entries { apply(entry) }
    }

    private mutating func apply(_ entry: JournalEntry) {
        switch entry.event {
        case .runStarted:
            phase = .upgrading
            runStarted = entry.time
            runFacts.merge(entry.facts) { _, new in new }
        case .stepStarted:
            guard let step = entry.step else { return }
            var record = steps[step] ?? StepRecord()
            record.progress = .running
            record.started = record.started ?? entry.time
            record.ended = nil
            record.attempts += 1
            steps[step] = record
        case .stepCompleted:
            guard let step = entry.step else { return }
            var record = steps[step] ?? StepRecord()
            record.progress = .completed
            record.ended = entry.time
            record.facts.merge(entry.facts) { _, new in new }
            record.result = entry.result
            record.completedWithFacts = entry.result == nil
            record.message = entry.message
            steps[step] = record
        case .stepFailed:
            guard let step = entry.step else { return }
            var record = steps[step] ?? StepRecord()
            record.progress = .failed
            record.ended = entry.time
            record.facts.merge(entry.facts) { _, new in new }
            record.message = entry.message
            steps[step] = record
        case .upgradeFinished:
            phase = .upgraded
        case .rollbackStarted:
            phase = .rollingBack
            rollbackReason = entry.message
            // A new rollback re-runs every rollback step from the start; each is idempotent.
            for step in StepID.rollbackSequence { steps[step] = nil }
        case .rollbackFinished:
            phase = .rolledBack
        case .note:
            // A note records what a step learned before it changed anything (e.g. HA's
            // original state), so that a crash between the change and the step's end loses nothing.
            // The newest note wins (a re-entered init notes each new snapshot generation), except
            // for facts that must keep their first value (see ``JournalFact/keepsFirstValue``).
            if let step = entry.step {
                var record = steps[step] ?? StepRecord()
                Self.mergeNote(&record.facts, entry.facts)
                steps[step] = record
            } else {
                Self.mergeNote(&runFacts, entry.facts)
            }
        case .interrupted:
            // A signal stopped the run at a safe point: the steps' own records say where.
            break
        case .nodeStarted, .nodeCompleted, .nodeFailed:
            // One node's part of a step, for the report's lanes; the step's own entries say how it went.
            break
        }
    }

    private static func mergeNote(_ facts: inout [String: String], _ noted: [String: String]) {
        for (key, value) in noted {
            if JournalFact(rawValue: key)?.keepsFirstValue == true, facts[key] != nil { continue }
            facts[key] = value
        }
    }

    /// What the journal says of `step`.
    public func record(_ step: StepID) -> StepRecord { steps[step] ?? StepRecord() }

    /// The first upgrade step not yet completed or skipped, nil when all are.
    public var nextUpgradeStep: StepID? {
        StepID.upgradeSequence.first { step in
            let progress = record(step).progress
            return progress != .completed
        }
    }

    /// Whether `step` changed something that a rollback must undo (it started at least once).
    public func didStart(_ step: StepID) -> Bool { record(step).attempts > 0 }
}
