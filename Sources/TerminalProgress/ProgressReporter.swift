import Foundation
import Synchronization

/// Reports the progress of long tasks on standard error: in place on a terminal, plain lines elsewhere.
///
/// Results never go here: they belong on standard output. A reporter is shared by every task of
/// one command run and is safe to use from any thread.
///
/// On a terminal (`auto` on a TTY) a running task is one line redrawn in place (`\r`, erase to the
/// end of the line), cut to the terminal's width so that it never wraps, at most ten times a second
/// whatever the number of tasks; when it finishes, its last state stays as a permanent line if it
/// ran long enough to matter (``liveKeepSeconds``), else the line is cleared. In plain
/// mode each task prints one line when it finishes, plus one every `plainIntervalSeconds` while it runs
/// long, and never an escape code or a carriage return.
public final class ProgressReporter: Sendable {
    /// The mode actually in effect (`auto` resolved to `plain` or a live line).
    public let mode: ProgressMode
    private let live: Bool
    private let width: Int?
    private let output: @Sendable (String) -> Void
    private let state = Mutex<State>(State())
    /// The shortest interval between two plain-mode lines for the same task.
    private let plainInterval: Double
    /// The shortest interval between two redraws of the live line.
    private let liveInterval: Double

    private struct State {
        var liveLineShown = false
        /// The task whose line is shown live.
        var liveTask: ObjectIdentifier?
        var lastLiveDraw: Date?
    }

    /// On a terminal, a finished task stays on screen as a line of its own only when it ran at least
    /// this long: the many short tasks of a step (one per table) would otherwise bury the long ones.
    public static let liveKeepSeconds = 0.5

    /// Erases from the cursor to the end of the line.
    static let eraseToEndOfLine = "\u{1B}[K"

    /// Creates a reporter on standard error; `auto` draws a live line only when standard error is a terminal.
    public convenience init(mode: ProgressMode, plainIntervalSeconds: Double = 10) {
        let sink = StandardErrorSink()
        self.init(
            mode: mode, terminal: sink.isTerminal, width: sink.isTerminal ? sink.columns : nil,
            plainIntervalSeconds: plainIntervalSeconds, liveIntervalSeconds: 0.1
        ) { sink.write($0) }
    }

    /// Creates a reporter writing to `output` as if it were a terminal `width` columns wide (`terminal`) or not.
    public init(
        mode: ProgressMode, terminal: Bool, width: Int?, plainIntervalSeconds: Double,
        liveIntervalSeconds: Double, output: @escaping @Sendable (String) -> Void
    ) {
        self.mode = mode
        self.live = mode == .auto && terminal
        self.width = width
        self.plainInterval = plainIntervalSeconds
        self.liveInterval = liveIntervalSeconds
        self.output = output
    }

    /// A reporter that prints nothing.
    public static let silent = ProgressReporter(mode: .none)

    /// Prints one line of narrative (a step started, a check passed) unless the mode is `none`.
    public func message(_ text: String) {
        guard mode != .none else { return }
        state.withLock { state in
            output(clearLiveLine(&state) + text + "\n")
        }
    }

    /// Starts a task measured in `unit` (e.g. rows, bytes, seconds of a wait) with an optional known total.
    public func task(_ title: String, total: Int64? = nil, unit: ProgressUnit = .items) -> ProgressTask {
        ProgressTask(reporter: self, title: title, total: total, unit: unit)
    }

    func draw(_ snapshot: ProgressTask.Snapshot, final: Bool, task: ObjectIdentifier) {
        guard mode != .none else { return }
        let line = snapshot.formatted(final: final, bar: live)
        state.withLock { state in
            if live && !final {
                let now = Date()
                // Several tasks may run at once: the line shows the latest, redrawn at a bounded rate.
                if let last = state.lastLiveDraw, now.timeIntervalSince(last) < liveInterval { return }
                state.lastLiveDraw = now
                output("\r" + ProgressFormat.fit(line, width: width) + Self.eraseToEndOfLine)
                state.liveLineShown = true
                state.liveTask = task
            } else if live && snapshot.elapsed < Self.liveKeepSeconds {
                // A short task leaves nothing behind, and never a stale line under what follows.
                if state.liveTask == task { output(clearLiveLine(&state)) }
            } else {
                output(clearLiveLine(&state) + line + "\n")
            }
        }
    }

    var drawsLive: Bool { live }
    var minimumPlainInterval: Double { plainInterval }
    var minimumLiveInterval: Double { liveInterval }

    /// What to write first so that the next text starts on a clean line.
    private func clearLiveLine(_ state: inout State) -> String {
        guard live, state.liveLineShown else { return "" }
        state.liveLineShown = false
        state.liveTask = nil
        return "\r" + Self.eraseToEndOfLine
    }
}
