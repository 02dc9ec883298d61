import Foundation
import Testing

@testable import UpgradeEngine

/// The journal on its own: durable appends, replay, torn lines, notes.
@Suite("journal")
struct JournalTests {
    @Test("entries survive a reopen with millisecond timestamps, and the file is 0600")
    func reopen() throws {
        let url = try JournalFiles.freshURL()
        let journal = try Journal(url: url)
        try journal.append(.runStarted)
        try journal.append(.stepStarted, step: .stopOld)
        Thread.sleep(forTimeInterval: 0.05)
        try journal.append(.stepCompleted, step: .stopOld, facts: ["oldContainerID": "abc"])

        let reopened = try Journal(url: url)
        #expect(reopened.entries.count == 3)
        #expect(reopened.entries.map(\.sequence) == [1, 2, 3])
        let record = reopened.replayed.record(.stopOld)
        #expect(record.progress == .completed)
        #expect(record.facts["oldContainerID"] == "abc")
        let duration = try #require(record.duration)
        #expect(duration > 0.03 && duration < 1, "milliseconds are kept: \(duration)")
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test("a torn last line (the process died mid-write) is ignored")
    func tornLine() throws {
        let url = try JournalFiles.freshURL()
        let journal = try Journal(url: url)
        try journal.append(.runStarted)
        try journal.append(.stepStarted, step: .prune)
        try JournalFiles.appendRaw("{\"event\":\"step-compl", to: url)

        let state = try Journal(url: url).replayed
        #expect(state.record(.prune).progress == .running)
        #expect(state.nextUpgradeStep == .prePrune)
    }

    @Test("a step-skipped line (named by the format, written by no version) replays as the step's end")
    func oldStepSkipped() throws {
        let url = try JournalFiles.freshURL()
        let journal = try Journal(url: url)
        try journal.append(.runStarted)
        try JournalFiles.appendRaw(
            #"{"event":"step-skipped","facts":{},"sequence":2,"step":"pre-prune","time":"2026-11-29T18:20:01.123+0000"}"#
                + "\n", to: url)

        let reopened = try Journal(url: url)
        #expect(reopened.entries.map(\.event) == [.runStarted, .stepCompleted])
        #expect(reopened.replayed.record(.prePrune).progress == .completed)
        #expect(reopened.replayed.nextUpgradeStep == .haOff)
    }

    @Test("replay: phases, attempts, the next step, notes kept across a failed attempt")
    func replay() throws {
        let journal = try Journal(url: try JournalFiles.freshURL())
        try journal.append(.runStarted)
        for step in [StepID.prePrune, .haOff, .onlineCopy, .stopOld, .catchUp] {
            try journal.append(.stepStarted, step: step)
            try journal.append(.stepCompleted, step: step)
        }
        try journal.append(.stepStarted, step: .prune)
        try journal.append(.note, step: .prune, facts: ["noted": "before the change"])
        try journal.append(.stepStarted, step: .prune)
        var state = journal.replayed
        #expect(state.phase == .upgrading)
        #expect(state.record(.prune).attempts == 2)
        #expect(state.record(.prune).facts["noted"] == "before the change")
        #expect(state.nextUpgradeStep == .prune)
        #expect(state.didStart(.prune) && !state.didStart(.backup))

        try journal.append(.stepFailed, step: .prune, message: "boom")
        try journal.append(.rollbackStarted, message: "step prune failed: boom")
        state = journal.replayed
        #expect(state.phase == .rollingBack)
        #expect(state.rollbackReason == "step prune failed: boom")
        try journal.append(.rollbackFinished)
        #expect(journal.replayed.phase == .rolledBack)
    }

    @Test("the summary splits the downtime: stop to init done (init included), the init, the tool's own part")
    func downtime() throws {
        let start = Date(timeIntervalSince1970: 1_000_000)
        var entries: [JournalEntry] = [JournalEntry(sequence: 1, time: start, event: .runStarted)]
        let timeline: [(StepID, Double, Double)] = [(.stopOld, 10, 11), (.initSchema, 20, 25), (.health, 25, 40)]
        for (step, begin, end) in timeline {
            entries.append(
                JournalEntry(
                    sequence: entries.count + 1, time: start.addingTimeInterval(begin), event: .stepStarted, step: step)
            )
            entries.append(
                JournalEntry(
                    sequence: entries.count + 1, time: start.addingTimeInterval(end), event: .stepCompleted, step: step)
            )
        }
        let summary = RunSummary(
            plan: .sample(),
            directory: RunDirectory(workDir: URL(filePath: "/tmp"), runID: "r"),
            state: JournalState(entries: entries))
        #expect(summary.downtimeSeconds == 30)
        #expect(summary.stopToInitDoneSeconds == 15)
        #expect(summary.toolControlledDowntimeSeconds == 15, "the old key keeps its meaning")
        #expect(summary.initScriptSeconds == 5)
        #expect(summary.toolOwnPartSeconds == 25, "stop to healthy less the init")
        #expect(summary.serviceStartSeconds == 15)
        let text = summary.renderText()
        #expect(text.contains("stop to init done 15.0s"), "\(text)")
        #expect(text.contains("the vendor's init 5.0s"), "\(text)")
        #expect(text.contains("the tool's own part (all but init): 25.00s"), "\(text)")
        #expect(!text.contains("tool-controlled"), "\(text)")
        #expect(summary.newOMSStartupSeconds == nil, "no started line was recorded")
        #expect(summary.toolWorkSeconds == nil)
    }

    @Test(
        "the new OMS's start-up after its init is its latest node's started line less the init's end, within the service start",
        arguments: [
            (["": 27.5], 2.5),  // said it started 2.5 s after the init
            (["": 22.0], 0.0),  // said it while the init still ran
            (["": 99.0], 15.0),  // a node's clock ahead of ours: never more than the service start
            (["10.0.0.2": 26.0, "10.0.0.3": 29.0], 4.0),  // the last node decides
        ])
    func newOMSStartup(said: [String: Double], expected: Double) throws {
        let start = Date(timeIntervalSince1970: 1_000_000)
        var entries: [JournalEntry] = [JournalEntry(sequence: 1, time: start, event: .runStarted)]
        let nodes = said.mapValues { offset in
            HealthNode(healthURL: nil, saidStartedAt: HealthNode.format(start.addingTimeInterval(offset)))
        }
        let timeline: [(StepID, Double, Double, JSONValue?)] = [
            (.stopOld, 10, 11, nil), (.initSchema, 20, 25, nil),
            (.health, 25, 40, try JSONValue(encoding: HealthResult(nodes: nodes))),
        ]
        for (step, begin, end, result) in timeline {
            entries.append(
                JournalEntry(
                    sequence: entries.count + 1, time: start.addingTimeInterval(begin), event: .stepStarted, step: step)
            )
            entries.append(
                JournalEntry(
                    sequence: entries.count + 1, time: start.addingTimeInterval(end), event: .stepCompleted, step: step,
                    result: result))
        }
        let summary = RunSummary(
            plan: .sample(),
            directory: RunDirectory(workDir: URL(filePath: "/tmp"), runID: "r"),
            state: JournalState(entries: entries))
        let startup = try #require(summary.newOMSStartupSeconds)
        #expect(abs(startup - expected) < 0.002)
        let work = try #require(summary.toolWorkSeconds)
        #expect(abs(work - (25 - expected)) < 0.002)
        #expect(summary.renderText().contains(String(format: "the tool's work %.2fs", 25 - expected)))
    }
}
