import Foundation
import Testing
import UpgradeEngine

@testable import UpgradeReport

@Suite("report timeline")
struct ReportTimelineTests {
    @Test("today's upgrade: online steps, one outage from stop-old to healthy, ha-on after")
    func upgradePhases() {
        let timeline = ReportTimeline(entries: SyntheticRun.upgraded().entries)
        #expect(timeline.outages == [ReportTimeline.Interval(start: 3, end: 13)])
        #expect(timeline.outageSeconds == 10)
        #expect(timeline.onlinePhase == ReportTimeline.Interval(start: 0, end: 3))
        let phases = Dictionary(uniqueKeysWithValues: timeline.spans.map { ($0.step, $0.phase) })
        #expect(phases["pre-prune"] == .online && phases["ha-off"] == .online)
        #expect(phases["stop-old"] == .outage && phases["health"] == .outage)
        #expect(phases["online-copy"] == .online && phases["catch-up"] == .outage)
        #expect(phases["backup"] == .after && phases["ha-on"] == .after)
        #expect(timeline.length == 14.5)
    }

    @Test("phases come from the steps, not a fixed list: a backup moved after the health check is not outage")
    func backupAfterHealth() {
        var run = SyntheticRun()
        run.add(0, .runStarted)
        run.step(.prePrune, 0, 5)
        run.step(.stopOld, 5, 5.5)
        run.step(.startNew, 5.5, 6)
        run.step(.initSchema, 6, 7)
        run.step(.health, 7, 8)
        run.step(.backup, 8, 20)
        let timeline = ReportTimeline(entries: run.entries)
        #expect(timeline.outages == [ReportTimeline.Interval(start: 5, end: 8)])
        #expect(timeline.spans.first { $0.step == "backup" }?.phase == .after)
    }

    @Test("a failed init rolled back automatically: one outage until the old OMS is healthy again")
    func autoRollback() {
        var run = SyntheticRun()
        run.add(0, .runStarted)
        run.step(.stopOld, 1, 2)
        run.step(.startNew, 2, 3)
        run.add(3, .stepStarted, .initSchema)
        run.add(5, .stepFailed, .initSchema, message: "init exited 1")
        run.add(5, .rollbackStarted, message: "step init failed")
        for (index, step) in StepID.rollbackSequence.enumerated() {
            run.step(step, 5 + Double(index), 6 + Double(index))
        }
        let rollbackEnd = 5 + Double(StepID.rollbackSequence.count)
        run.add(rollbackEnd, .rollbackFinished)
        let timeline = ReportTimeline(entries: run.entries)
        #expect(timeline.outages == [ReportTimeline.Interval(start: 1, end: rollbackEnd)])
        #expect(timeline.spans.first { $0.step == "init" }?.outcome == .failed)
        #expect(timeline.spans.first { $0.step == "init" }?.message == "init exited 1")
    }

    @Test("a rollback after a finished upgrade is a second outage; before any stop it is none")
    func rollbackLater() {
        var run = SyntheticRun.upgraded()
        run.add(100, .rollbackStarted)
        for (index, step) in StepID.rollbackSequence.enumerated() {
            run.step(step, 100 + Double(index), 101 + Double(index))
        }
        let timeline = ReportTimeline(entries: run.entries)
        // The snapshot is checked while the new OMS still serves: the outage runs from stopping it to
        // the old OMS healthy again.
        let stopIndex = Double(StepID.rollbackSequence.firstIndex(of: .rollbackStopNew) ?? 0)
        let end = 100 + Double(StepID.rollbackSequence.count)
        #expect(timeline.outages.count == 2)
        #expect(timeline.outages.last == ReportTimeline.Interval(start: 100 + stopIndex, end: end))
        #expect(timeline.spans.first { $0.step == "rollback-verify" && $0.start >= 100 }?.phase == .rollback)

        var early = SyntheticRun()
        early.add(0, .runStarted)
        early.add(0, .stepStarted, .prePrune)
        early.add(1, .stepFailed, .prePrune, message: "boom")
        early.step(.rollbackStopNew, 1, 2)
        #expect(ReportTimeline(entries: early.entries).outages.isEmpty)
        #expect(ReportTimeline(entries: early.entries).spans.last?.phase == .rollback)
    }

    @Test("a step re-entered after a crash shows as an interrupted attempt and a second one")
    func resumedStep() {
        var run = SyntheticRun()
        run.add(0, .runStarted)
        run.add(1, .stepStarted, .backup)
        run.add(2, .note, .backup, facts: ["x": "y"])
        run.add(30, .stepStarted, .backup)
        run.add(31, .stepCompleted, .backup)
        let spans = ReportTimeline(entries: run.entries).spans
        #expect(spans.count == 2)
        #expect(spans[0].outcome == .interrupted && spans[0].end == 2 && spans[0].attempt == 1)
        #expect(spans[1].outcome == .completed && spans[1].attempt == 2)
    }

    @Test("steps that name a node are drawn in one lane per node")
    func lanes() {
        var run = SyntheticRun()
        run.add(0, .runStarted)
        run.step(.stopOld, 0, 1, facts: ["node": "10.0.0.7"])
        run.step(.stopOld, 0, 2, facts: ["node": "10.0.0.8"])
        let timeline = ReportTimeline(entries: run.entries)
        #expect(timeline.lanes == ["10.0.0.7", "10.0.0.8"])
        let svg = TimelineSVG(timeline: timeline).render()
        #expect(svg.contains("node 10.0.0.7") && svg.contains("node 10.0.0.8"))
    }
}
