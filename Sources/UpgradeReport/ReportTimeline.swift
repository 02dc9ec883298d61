import Foundation
import UpgradeEngine

/// A run's timeline: every attempt of every step as a span, the phases they fall in, and the outages.
///
/// Nothing here knows today's list of steps. A span's phase comes from its step: a step whose
/// ``StepID/isDowntime`` is set runs while the service is down (until the health wait saw the new
/// OMS healthy); a rollback step runs while it is down when an earlier step took it down; every
/// other step runs while the service is up, before the first outage (online) or after it. Outages
/// are the stretches of consecutive down spans, so new online steps before the stop, or a backup
/// moved after the health check, land in the right place.
public struct ReportTimeline: Sendable, Equatable {
    /// Where in the run a span falls.
    public enum Phase: String, Sendable, Equatable, CaseIterable {
        /// The service is up, before the first outage.
        case online
        /// The service is down.
        case outage
        /// The service is up again, after an outage.
        case after
        /// A rollback step while the service was up (before the rollback stopped anything).
        case rollback
    }

    /// How an attempt of a step ended.
    public enum Outcome: String, Sendable, Equatable {
        case completed, failed
        /// Started and never ended: the process died and a later attempt took over.
        case interrupted
        /// Started and not ended yet (or the journal ends there).
        case running
    }

    /// One attempt of one step.
    public struct Span: Sendable, Equatable {
        /// The step's journal name, e.g. `stop-old`.
        public var step: String
        /// What the step does, in words.
        public var summary: String
        /// The node the step ran on, empty for the deployment as a whole.
        public var lane: String
        /// 1 for the first attempt, 2 after a resume, ...
        public var attempt: Int
        /// Seconds from the run's start.
        public var start: Double
        public var end: Double
        public var outcome: Outcome
        public var phase: Phase
        /// Why it failed, when it did.
        public var message: String?
        /// Whether this is one node's part of a step (from the journal's `node-…` records), not the step as a whole.
        public var isNodePart = false

        public var duration: Double { max(0, end - start) }
        /// Whether the service was down while it ran.
        public var isDown: Bool { phase == .outage }
    }

    /// A stretch of time, in seconds from the run's start.
    public struct Interval: Sendable, Equatable {
        public var start: Double
        public var end: Double
        public var duration: Double { max(0, end - start) }
    }

    /// When the run started.
    public var started: Date?
    /// Seconds from the start to the last journal entry.
    public var length: Double
    /// Every attempt of every step, in the order they started.
    public var spans: [Span]
    /// The stretches while the service was down, in order.
    public var outages: [Interval]
    /// The lanes, in order of first appearance: the empty name for the deployment as a whole, then
    /// one per node that the journal's per-node records (`node-started` …) name.
    public var lanes: [String]

    /// The service's total downtime over the run.
    public var outageSeconds: Double { outages.reduce(0) { $0 + $1.duration } }

    /// The stretch before the first outage, while the old service still served.
    public var onlinePhase: Interval? {
        guard let first = spans.first else { return nil }
        let end = outages.first?.start ?? length
        return end > first.start ? Interval(start: first.start, end: end) : nil
    }

    /// Builds the timeline from journal entries, oldest first.
    public init(entries: [JournalEntry]) {
        let sorted = entries.sorted { $0.sequence < $1.sequence }
        let origin = sorted.first { $0.event == .runStarted }?.time ?? sorted.first?.time
        started = origin
        var collector = SpanCollector(origin: origin)
        for entry in sorted { collector.add(entry) }
        let total = sorted.last.map { collector.offset($0.time) } ?? 0
        length = total
        var spans = collector.finished(at: total)
        Self.assignPhases(&spans)
        self.spans = spans
        self.outages = Self.outages(of: spans.filter { !$0.isNodePart })
        var lanes: [String] = []
        for span in spans where !lanes.contains(span.lane) { lanes.append(span.lane) }
        self.lanes = lanes.isEmpty ? [""] : lanes
    }

    /// Gives every span its phase (see the type's description).
    ///
    /// The service goes down at the first downtime step of the upgrade and is up again once the
    /// health wait has seen the new OMS healthy (a downtime-marked step after that no longer
    /// counts). A rollback takes it down when it stops the new container and brings it back when
    /// the old one is healthy; rollback steps before the stop (e.g. checking the snapshot while
    /// the new OMS serves) run while it is up, unless an earlier step had left it down. A node's
    /// part of a step falls in the phase of the step it belongs to (the latest attempt begun before it).
    static func assignPhases(_ spans: inout [Span]) {
        var down = false
        var seenOutage = false
        var upAgain = false
        for index in spans.indices where !spans[index].isNodePart {
            let id = StepID(rawValue: spans[index].step)
            let isRollback = id.map { StepID.rollbackSequence.contains($0) } ?? spans[index].step.hasPrefix("rollback")
            if (id == .rollbackStopNew && seenOutage) || (!isRollback && id?.isDowntime == true && !upAgain) {
                down = true
            }
            if down {
                spans[index].phase = .outage
                seenOutage = true
            } else if isRollback {
                spans[index].phase = .rollback
            } else {
                spans[index].phase = seenOutage ? .after : .online
            }
            guard spans[index].outcome == .completed else { continue }
            if id == .health {
                upAgain = true
                down = false
            } else if id == .rollbackHealth {
                down = false
            }
        }
        for index in spans.indices where spans[index].isNodePart {
            let parent = spans[..<index].last { !$0.isNodePart && $0.step == spans[index].step }
            spans[index].phase = parent?.phase ?? spans[index].phase
        }
    }

    /// Turns journal entries, in order, into spans: one per attempt of a step, and one per node's part of it.
    struct SpanCollector {
        let origin: Date?
        var spans: [Span] = []
        /// The open span of each step and lane (and node part), by key.
        var open: [String: Int] = [:]
        /// When the entry before the current one was written.
        var lastTime: Double = 0

        /// Seconds from the run's start.
        func offset(_ date: Date) -> Double { origin.map { date.timeIntervalSince($0) } ?? 0 }

        mutating func add(_ entry: JournalEntry) {
            defer { lastTime = offset(entry.time) }
            guard let step = entry.step else { return }
            let isNodePart = [.nodeStarted, .nodeCompleted, .nodeFailed].contains(entry.event)
            // Journals of earlier versions may name a node in a step's facts.
            let lane = (isNodePart ? entry.node : nil) ?? entry.facts["node"] ?? ""
            // Several nodes may run the same step at once: a span is open per step and node.
            let key = step.rawValue + "\u{0}" + lane + (isNodePart ? "\u{0}node" : "")
            switch entry.event {
            case .nodeStarted, .stepStarted:
                begin(step, lane: lane, key: key, at: offset(entry.time), nodePart: isNodePart)
            case .nodeCompleted, .nodeFailed:
                guard let index = open.removeValue(forKey: key) else { return }
                end(index, entry)
            case .stepCompleted, .stepFailed:
                let index: Int
                if let found = open.removeValue(forKey: key) ?? open.removeValue(forKey: step.rawValue + "\u{0}") {
                    index = found
                } else {
                    // An end without a start (an earlier version's step-skipped, read as step-completed).
                    spans.append(Self.span(step, lane: lane, attempt: 1, at: offset(entry.time), nodePart: false))
                    index = spans.count - 1
                }
                end(index, entry)
                if !lane.isEmpty { spans[index].lane = lane }
            default:
                return
            }
        }

        /// Opens a span for a new attempt, closing as interrupted the one still open for the same key.
        mutating func begin(_ step: StepID, lane: String, key: String, at start: Double, nodePart: Bool) {
            if let index = open[key] {
                spans[index].outcome = .interrupted
                spans[index].end = max(spans[index].start, lastTime)
            }
            let attempt =
                spans.filter { $0.step == step.rawValue && $0.lane == lane && (!nodePart || $0.isNodePart) }.count + 1
            spans.append(Self.span(step, lane: lane, attempt: attempt, at: start, nodePart: nodePart))
            open[key] = spans.count - 1
        }

        mutating func end(_ index: Int, _ entry: JournalEntry) {
            spans[index].end = offset(entry.time)
            spans[index].outcome = [.stepCompleted, .nodeCompleted].contains(entry.event) ? .completed : .failed
            spans[index].message = entry.message
        }

        static func span(_ step: StepID, lane: String, attempt: Int, at start: Double, nodePart: Bool) -> Span {
            var span = Span(
                step: step.rawValue, summary: nodePart ? step.summary(multiNode: true) : step.summary, lane: lane,
                attempt: attempt, start: start, end: start, outcome: .running, phase: .online, message: nil)
            span.isNodePart = nodePart
            return span
        }

        /// The spans, those still open ending at `length` (they ran at least until the journal's last entry).
        func finished(at length: Double) -> [Span] {
            var spans = spans
            for index in open.values { spans[index].end = max(spans[index].start, length) }
            return spans
        }
    }

    /// Merges runs of consecutive down spans (in start order) into intervals.
    static func outages(of spans: [Span]) -> [Interval] {
        var result: [Interval] = []
        var current: Interval?
        for span in spans {
            if span.isDown {
                if var open = current {
                    open.end = max(open.end, span.end)
                    current = open
                } else {
                    current = Interval(start: span.start, end: span.end)
                }
            } else if let open = current {
                result.append(open)
                current = nil
            }
        }
        if let current { result.append(current) }
        return result
    }
}
