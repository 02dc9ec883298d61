import Foundation
import Synchronization

/// One measured piece of work (a table dumped, rows deleted, a wait) whose progress a reporter draws.
public final class ProgressTask: Sendable {
    private let reporter: ProgressReporter
    private let title: String
    private let total: Int64?
    private let unit: ProgressUnit
    private let started = Date()
    private let state = Mutex<State>(State())

    private struct State {
        var completed: Int64 = 0
        var note: String?
        var lastDraw: Date?
        var finished = false
    }

    init(reporter: ProgressReporter, title: String, total: Int64?, unit: ProgressUnit) {
        self.reporter = reporter
        self.title = title
        self.total = total
        self.unit = unit
    }

    /// Adds `amount` to the completed count and redraws when due.
    public func advance(by amount: Int64) {
        let snapshot: Snapshot? = state.withLock { state in
            state.completed += amount
            return dueSnapshot(&state)
        }
        if let snapshot { reporter.draw(snapshot, final: false, task: ObjectIdentifier(self)) }
    }

    /// Sets the completed count (and, when given, a short note such as the last status seen) and redraws when due.
    public func update(completed: Int64, note: String? = nil) {
        let snapshot: Snapshot? = state.withLock { state in
            state.completed = completed
            if let note { state.note = note }
            return dueSnapshot(&state)
        }
        if let snapshot { reporter.draw(snapshot, final: false, task: ObjectIdentifier(self)) }
    }

    /// The amount completed so far.
    public var completed: Int64 { state.withLock { $0.completed } }

    /// Draws the final line once, with the elapsed time and an optional note.
    public func finish(_ note: String? = nil) {
        let snapshot: Snapshot? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            return Snapshot(
                title: title, completed: state.completed, total: total, unit: unit,
                elapsed: Date().timeIntervalSince(started), note: note)
        }
        if let snapshot { reporter.draw(snapshot, final: true, task: ObjectIdentifier(self)) }
    }

    private func dueSnapshot(_ state: inout State) -> Snapshot? {
        guard !state.finished else { return nil }
        let now = Date()
        let interval = reporter.drawsLive ? reporter.minimumLiveInterval : reporter.minimumPlainInterval
        // Plain mode stays quiet for short tasks: the first line comes only after a full interval.
        if now.timeIntervalSince(state.lastDraw ?? started) < interval { return nil }
        state.lastDraw = now
        return Snapshot(
            title: title, completed: state.completed, total: total, unit: unit,
            elapsed: now.timeIntervalSince(started), note: state.note)
    }

    /// A frozen view of a task's progress, formatted as one line.
    public struct Snapshot: Sendable {
        public let title: String
        public let completed: Int64
        public let total: Int64?
        public let unit: ProgressUnit
        public let elapsed: TimeInterval
        public let note: String?

        public init(
            title: String, completed: Int64, total: Int64?, unit: ProgressUnit, elapsed: TimeInterval,
            note: String?
        ) {
            self.title = title
            self.completed = completed
            self.total = total
            self.unit = unit
            self.elapsed = elapsed
            self.note = note
        }

        /// The line: title, done of total, percentage, rate, then the ETA (running) or the time taken (final).
        ///
        /// `bar` adds a `[####....]` gauge, for a live terminal line.
        public func formatted(final: Bool, bar: Bool = false) -> String {
            var parts = [title + ":"]
            let known = total.flatMap { $0 > 0 ? $0 : nil }
            if unit == .seconds {
                parts.append(waitText(final: final, limit: known))
                if let note { parts.append(note) }
                return parts.joined(separator: " ")
            }
            let done = unit.format(Double(completed))
            if let known {
                let fraction = min(1, Double(completed) / Double(known))
                if bar && !final { parts.append(ProgressFormat.bar(fraction: fraction)) }
                parts.append("\(done) of \(unit.format(Double(known)))")
                parts.append(String(format: "%.0f%%", fraction * 100))
            } else {
                parts.append(done)
            }
            if elapsed > 0.05 {
                parts.append(unit.format(Double(completed) / elapsed) + "/s")
            }
            if final {
                parts.append("done in " + ProgressFormat.duration(elapsed))
            } else if let known, completed >= known {
                // The total may be an estimate (InnoDB's row count): past it, the end is near but not dated.
                parts.append("finishing")
            } else if let known {
                let eta = ProgressFormat.remaining(completed: completed, total: known, elapsed: elapsed)
                parts.append("ETA " + (eta.map(ProgressFormat.duration) ?? "?"))
            }
            if let note { parts.append(note) }
            return parts.joined(separator: " ")
        }

        /// A wait has no rate: it says how long it has waited and how long it may still wait.
        private func waitText(final: Bool, limit: Int64?) -> String {
            if final { return "done in " + ProgressFormat.duration(elapsed) }
            guard let limit else { return "waiting " + ProgressFormat.duration(elapsed) }
            let left = max(0, Double(limit) - elapsed)
            return "waited \(ProgressFormat.duration(elapsed)) of at most \(ProgressFormat.duration(Double(limit)))"
                + ", ETA at most " + ProgressFormat.duration(left)
        }
    }
}
