import Foundation
import Synchronization
import Testing

@testable import TerminalProgress

/// What a reporter wrote, collected instead of going to stderr.
final class CapturedOutput: Sendable {
    private let text = Mutex("")

    func write(_ chunk: String) { text.withLock { $0 += chunk } }

    var value: String { text.withLock { $0 } }
}

@Suite("progress lines")
struct ProgressRenderingTests {
    @Test("a running task shows done of total, percentage, rate and an ETA from the average rate")
    func runningLine() {
        let snapshot = ProgressTask.Snapshot(
            title: "dump rm.oms_project", completed: 25_000, total: 100_000,
            unit: .items, elapsed: 5, note: nil)
        let line = snapshot.formatted(final: false)
        #expect(line == "dump rm.oms_project: 25k rows of 100k rows 25% 5000 rows/s ETA 15s", "\(line)")
    }

    @Test("a finished task shows the time taken instead of an ETA; the live line adds a bar")
    func finalAndBar() {
        let snapshot = ProgressTask.Snapshot(
            title: "restore cm", completed: 3 << 20, total: 12 << 20, unit: .bytes,
            elapsed: 2, note: nil)
        #expect(snapshot.formatted(final: true) == "restore cm: 3.0 MiB of 12.0 MiB 25% 1.5 MiB/s done in 2.0s")
        let live = snapshot.formatted(final: false, bar: true)
        #expect(live.hasPrefix("restore cm: [#####...............] 3.0 MiB of 12.0 MiB 25%"), "\(live)")
        #expect(live.hasSuffix("ETA 6.0s"), "\(live)")
    }

    @Test("ETAs and durations read as seconds, minutes and hours")
    func durations() {
        #expect(ProgressFormat.duration(0.42) == "0.4s")
        #expect(ProgressFormat.duration(42) == "42s")
        #expect(ProgressFormat.duration(185) == "3m05s")
        #expect(ProgressFormat.duration(3720) == "1h02m")
        #expect(ProgressFormat.remaining(completed: 10, total: 40, elapsed: 3) == 9)
        #expect(ProgressFormat.remaining(completed: 0, total: 40, elapsed: 3) == nil)
        let unknown = ProgressTask.Snapshot(title: "t", completed: 0, total: 10, unit: .items, elapsed: 1, note: nil)
        #expect(unknown.formatted(final: false).hasSuffix("ETA ?"))
        let past = ProgressTask.Snapshot(title: "t", completed: 12, total: 10, unit: .items, elapsed: 1, note: nil)
        #expect(
            past.formatted(final: false) == "t: 12 rows of 10 rows 100% 12 rows/s finishing",
            "past an estimated total")
    }

    @Test("a wait shows how long it waited, its limit and the most it may still take, with the last status")
    func waitLine() {
        let snapshot = ProgressTask.Snapshot(
            title: "wait for oms_330 to be healthy", completed: 12, total: 100,
            unit: .seconds, elapsed: 12, note: "(unreachable)")
        #expect(
            snapshot.formatted(final: false)
                == "wait for oms_330 to be healthy: waited 12s of at most 1m40s, ETA at most 1m28s (unreachable)")
    }

    @Test("on a terminal: one line redrawn in place, erased to its end, cut to the width, cleared before a message")
    func liveRedraw() {
        let output = CapturedOutput()
        let reporter = ProgressReporter(
            mode: .auto, terminal: true, width: 40, plainIntervalSeconds: 10,
            liveIntervalSeconds: 0
        ) { output.write($0) }
        let task = reporter.task("backup of a database with a long name", total: 1000, unit: .items)
        Thread.sleep(forTimeInterval: 0.01)
        task.advance(by: 100)
        Thread.sleep(forTimeInterval: 0.01)
        task.advance(by: 100)
        reporter.message("a message")
        task.finish()
        let text = output.value
        let redraws = text.components(separatedBy: "\r").dropFirst().filter { $0.hasSuffix("\u{1B}[K") }
        #expect(redraws.count >= 2, "\(text.debugDescription)")
        for redraw in redraws where !redraw.isEmpty && redraw != "\u{1B}[K" {
            #expect(redraw.dropLast(3).count <= 39, "a live line never wraps: \(redraw.debugDescription)")
            #expect(redraw.contains("…"), "cut to the width: \(redraw.debugDescription)")
        }
        #expect(
            text.contains("\r\u{1B}[Ka message\n"),
            "the live line is cleared before a message: \(text.debugDescription)")
        #expect(!text.contains("done in"), "a short task leaves no line behind: \(text.debugDescription)")
    }

    @Test("on a terminal, a task that ran long stays as a line; a short one shown live is cleared when it ends")
    func liveFinish() {
        let output = CapturedOutput()
        let reporter = ProgressReporter(
            mode: .auto, terminal: true, width: 120, plainIntervalSeconds: 10,
            liveIntervalSeconds: 0
        ) { output.write($0) }
        let short = reporter.task("short", total: 10, unit: .items)
        Thread.sleep(forTimeInterval: 0.01)
        short.advance(by: 5)
        short.finish()
        #expect(
            output.value.hasSuffix("\r\u{1B}[K"),
            "cleared, so that what follows starts on a clean line: \(output.value.debugDescription)")
        let long = reporter.task("long", total: 10, unit: .items)
        Thread.sleep(forTimeInterval: ProgressReporter.liveKeepSeconds + 0.05)
        long.advance(by: 10)
        long.finish()
        let last = output.value.components(separatedBy: "\r\u{1B}[K").last ?? ""
        #expect(
            last.hasPrefix("long: 10 rows of 10 rows 100%") && last.contains("done in") && last.hasSuffix("\n"),
            "the long task's final line stays: \(output.value.debugDescription)")
    }

    @Test("on a terminal, redraws are throttled for all tasks together")
    func throttled() {
        let output = CapturedOutput()
        let reporter = ProgressReporter(
            mode: .auto, terminal: true, width: 120, plainIntervalSeconds: 10,
            liveIntervalSeconds: 3600
        ) { output.write($0) }
        let tasks = (0..<3).map { reporter.task("t\($0)", total: 100, unit: .items) }
        for _ in 0..<50 { for task in tasks { task.advance(by: 1) } }
        #expect(!output.value.contains("\r"), "no redraw within the interval: \(output.value.debugDescription)")
    }

    @Test("plain mode: one line per task, no escape code, no carriage return")
    func plainLines() {
        let output = CapturedOutput()
        let reporter = ProgressReporter(
            mode: .plain, terminal: true, width: 80, plainIntervalSeconds: 10,
            liveIntervalSeconds: 0
        ) { output.write($0) }
        for name in ["rm", "cm", "cm_hb"] {
            let task = reporter.task("dump \(name)", total: 500, unit: .items)
            for _ in 0..<500 { task.advance(by: 1) }
            task.finish()
        }
        let text = output.value
        #expect(!text.contains("\u{1B}") && !text.contains("\r"), "\(text.debugDescription)")
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3, "\(text)")
        #expect(lines.allSatisfy { $0.contains("500 rows of 500 rows 100%") && $0.contains("done in") }, "\(text)")
    }

    @Test("none prints nothing")
    func silent() {
        let output = CapturedOutput()
        let reporter = ProgressReporter(
            mode: .none, terminal: true, width: 80, plainIntervalSeconds: 0,
            liveIntervalSeconds: 0
        ) { output.write($0) }
        reporter.message("hello")
        let task = reporter.task("t", total: 2)
        task.advance(by: 1)
        task.finish()
        #expect(output.value.isEmpty)
    }
}
