import Foundation
import Synchronization

/// Reports the progress of long tasks on standard error: in place on a terminal, plain lines elsewhere.
///
/// Results never go here: they belong on standard output. A reporter is shared by every task of
/// one command run and is safe to use from any thread.
public final class ProgressReporter: Sendable {
    /// The mode actually in effect (`auto` resolved to `plain` or a live line).
    public let mode: ProgressMode
    private let live: Bool
    private let sink = StandardErrorSink()
    private let state = Mutex<State>(State())
    /// The shortest interval between two plain-mode lines for the same task.
    private let plainInterval: Double

    private struct State {
        var lastLiveLineLength = 0
    }

    /// Creates a reporter; `auto` draws a live line only when standard error is a terminal.
    public init(mode: ProgressMode, plainIntervalSeconds: Double = 2) {
        self.mode = mode
        self.live = mode == .auto && StandardErrorSink().isTerminal
        self.plainInterval = plainIntervalSeconds
    }

    /// A reporter that prints nothing.
    public static let silent = ProgressReporter(mode: .none)

    /// Prints one line of narrative (a step started, a check passed) unless the mode is `none`.
    public func message(_ text: String) {
        guard mode != .none else { return }
        state.withLock { state in
            clearLiveLine(&state)
            sink.write(text + "\n")
        }
    }

    /// Starts a task measured in `unit` (e.g. "rows", "bytes") with an optional known total.
    public func task(_ title: String, total: Int64? = nil, unit: ProgressUnit = .items) -> ProgressTask {
        ProgressTask(reporter: self, title: title, total: total, unit: unit)
    }

    func draw(_ snapshot: ProgressTask.Snapshot, final: Bool) {
        guard mode != .none else { return }
        let line = snapshot.formatted(final: final)
        state.withLock { state in
            if live && !final {
                let padding = max(0, state.lastLiveLineLength - line.count)
                sink.write("\r" + line + String(repeating: " ", count: padding))
                state.lastLiveLineLength = line.count
            } else {
                clearLiveLine(&state)
                sink.write(line + "\n")
            }
        }
    }

    var drawsLive: Bool { live }
    var minimumPlainInterval: Double { plainInterval }

    private func clearLiveLine(_ state: inout State) {
        guard live, state.lastLiveLineLength > 0 else { return }
        sink.write("\r" + String(repeating: " ", count: state.lastLiveLineLength) + "\r")
        state.lastLiveLineLength = 0
    }
}
