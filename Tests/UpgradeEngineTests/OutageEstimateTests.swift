import Foundation
import Testing

@testable import UpgradeEngine

/// The outage estimate is made of measurements, part by part; the init is unknown unless an earlier run measured it.
@Suite("outage estimate")
struct OutageEstimateTests {
    let measured = OutageEstimator.Measurements(engine: 0.04, meta: 0.001, ddl: 0.01, tables: 12)

    @Test("every part is there, in the order the outage runs, each with its basis")
    func parts() {
        let estimate = OutageEstimator(stopTimeout: 60).estimate(measured, madeAt: "plan")
        #expect(estimate.items.map(\.part) == OutageEstimate.Part.allCases)
        #expect(estimate.items.map(\.part.step) == StepID.upgradeSequence.filter(\.isDowntime))
        #expect(estimate.seconds(.initScript) == nil && estimate.totalSeconds == nil)
        #expect(estimate.seconds(.stop).map { abs($0 - 0.06) < 1e-9 } == true)
        // The catch-up on MariaDB: 36 trigger drops of 10 ms beside 30 statements of 1 ms, the longer. The start
        // is one container operation (the create runs during the stop); the health wait half a 100 ms interval
        // and 1.5 rounds of a probe and a log read at once.
        #expect(abs(estimate.toolSeconds - (0.06 + 36 * 0.01 + 0.042 + 0.04 + 0.11)) < 1e-9, "\(estimate)")
        var renaming = OutageEstimator(stopTimeout: 60)
        renaming.createsDuringStop = false
        let renamed = renaming.estimate(measured, madeAt: "plan")
        #expect(renamed.seconds(.start).map { abs($0 - 0.08) < 1e-9 } == true, "create and start when renaming")
        let text = estimate.lines().joined(separator: "\n")
        #expect(text.contains("cannot be known before it runs"), "\(text)")
        #expect(text.contains("at most the stop timeout, 60 s"), "\(text)")
        #expect(!text.contains("107"))
    }

    @Test("just before the stop, the changed rows and their rate weigh in the catch-up")
    func changeRate() {
        var before = measured
        before.loggedRows = 50_000
        before.changeRate = 1_000
        let plain = OutageEstimator(stopTimeout: 60).estimate(measured, madeAt: "plan")
        let estimate = OutageEstimator(stopTimeout: 60).estimate(before, madeAt: "before the stop")
        let difference = (estimate.seconds(.catchUp) ?? 0) - (plain.seconds(.catchUp) ?? 0)
        #expect(abs(difference - 51_000 * 0.000_02) < 1e-9)
        #expect(estimate.lines().contains { $0.contains("1000.0 rows/s") })
    }

    @Test("where the online copy timed its trigger creates on the live tables, the catch-up's drops cost that")
    func captureDDL() {
        var before = measured
        before.captureDDL = 0.004
        let plain = OutageEstimator(stopTimeout: 60).estimate(measured, madeAt: "before the stop")
        let estimate = OutageEstimator(stopTimeout: 60).estimate(before, madeAt: "before the stop")
        let difference = (estimate.seconds(.catchUp) ?? 0) - (plain.seconds(.catchUp) ?? 0)
        #expect(abs(difference - 12 * 3 * (0.004 - 0.01)) < 1e-9, "\(estimate)")
        #expect(estimate.seconds(.prune) == plain.seconds(.prune), "the prune's DDL is on the heartbeat table alone")
        let text = estimate.lines().joined(separator: "\n")
        #expect(text.contains("36 trigger drops of 4.0 ms, as the online copy's creates took"), "\(text)")
    }

    @Test(
        "where the capture is made inert at the stop, the catch-up is its reads and statements, no drops but the large tables'"
    )
    func inertCapture() {
        var oceanBase = OutageEstimator.Measurements(engine: 0.04, meta: 0.001, ddl: 0.3, tables: 11)
        oceanBase.capturesMadeInert = true
        oceanBase.catalogRead = 0.05
        oceanBase.write = 0.005
        oceanBase.captureDDL = 0.15
        oceanBase.largeTables = 0
        let estimator = OutageEstimator(stopTimeout: 60)
        let quiet = estimator.estimate(oceanBase, madeAt: "before the stop")
        // 2 reads of 50 ms + (⌈11 / 8⌉ × 11 + 6) statements of 5 ms; no DDL of 300 ms at all.
        #expect(quiet.seconds(.catchUp).map { abs($0 - (0.1 + 28 * 0.005)) < 1e-9 } == true, "\(quiet)")
        let text = quiet.lines().joined(separator: "\n")
        #expect(text.contains("capture triggers made inert, not dropped"), "\(text)")
        #expect(!text.contains("drops of"), "\(text)")
        oceanBase.largeTables = 1
        let large = estimator.estimate(oceanBase, madeAt: "before the stop")
        #expect(large.seconds(.catchUp).map { abs($0 - 3 * 0.15) < 1e-9 } == true, "\(large)")
        #expect(large.lines().joined().contains("3 trigger drops of 150 ms"), "\(large)")
        // Where the triggers are dropped at the stop (MariaDB), every table's three weigh in.
        oceanBase.capturesMadeInert = false
        let dropped = estimator.estimate(oceanBase, madeAt: "before the stop")
        #expect(dropped.seconds(.catchUp).map { abs($0 - 33 * 0.15) < 1e-9 } == true, "\(dropped)")
    }

    @Test("an earlier run's measured parts and init of the same route are used and said so")
    func earlierRun() {
        let estimator = OutageEstimator(
            stopTimeout: 60, earlier: [.stop: 2, .start: 1.5, .health: 30], earlierInit: 95)
        let estimate = estimator.estimate(measured, madeAt: "plan")
        #expect(estimate.seconds(.stop) == 2 && estimate.seconds(.start) == 1.5 && estimate.seconds(.health) == 30)
        #expect(estimate.seconds(.initScript) == 95)
        #expect(estimate.totalSeconds == estimate.toolSeconds + 95)
        #expect(
            estimate.items.first { $0.part == .initScript }?.basis.contains("earlier run of the same route") == true)
    }

    @Test("the health wait comes from the old container's own start when no earlier run measured it")
    func oldStartHealth() {
        var withStart = measured
        withStart.oldStart = .init(seconds: 1.2, afterInit: true)
        let estimate = OutageEstimator(stopTimeout: 60).estimate(withStart, madeAt: "plan")
        #expect(estimate.seconds(.health).map { abs($0 - (1.2 + 0.11)) < 1e-9 } == true, "\(estimate)")
        let basis = estimate.items.first { $0.part == .health }?.basis ?? ""
        #expect(basis.contains("said it started 1.20 s after its docker_init.sh ended"), "\(basis)")
        withStart.logRead = 0.05
        let measuredRead = OutageEstimator(stopTimeout: 60).estimate(withStart, madeAt: "plan")
        #expect(measuredRead.seconds(.health).map { abs($0 - (1.2 + 0.05 + 0.075)) < 1e-9 } == true)
        #expect(measuredRead.items.last?.basis.contains("log reads measured at 50 ms") == true)
        let earlier = OutageEstimator(stopTimeout: 60, earlier: [.health: 3]).estimate(withStart, madeAt: "plan")
        #expect(earlier.seconds(.health) == 3)
    }

    @Test("the old start is read from the started line, after the init that ran in the container's start")
    func oldStartFromLog() throws {
        let started = try #require(OutageEstimator.parseTime("2026-12-07T03:56:44.195881605Z"))
        let log = [
            "2026-12-07T03:56:44.239589925Z 2026-12-07 03:56:44 [oms-fixture 3.2.2] starting OMS",
            "2026-12-07T03:56:45.759350515Z 2026-12-07 03:56:45 [oms-fixture 3.2.2] OMS service start successfully",
        ]
        let initEnds = [
            try #require(OutageEstimator.parseTime("2026-12-07 03:56:45.432446392 +0000")),
            try #require(OutageEstimator.parseTime("2026-12-06 23:00:00.5 -0500")),  // before the start: ignored
        ]
        let old = try #require(OutageEstimator.oldStart(startedAt: started, log: log, initEnds: initEnds))
        #expect(old.afterInit && abs(old.seconds - 0.326904123) < 1e-6, "\(old)")
        let restarted = try #require(OutageEstimator.oldStart(startedAt: started, log: log, initEnds: []))
        #expect(!restarted.afterInit && abs(restarted.seconds - 1.56346891) < 1e-6, "\(restarted)")
        // OMS said it started while the init still ran (the schema was ready before the init's last step).
        let lateEnd = try #require(OutageEstimator.parseTime("2026-12-07T03:56:46Z"))
        let during = try #require(OutageEstimator.oldStart(startedAt: started, log: log, initEnds: [lateEnd]))
        #expect(during == .init(seconds: 0, afterInit: true, duringInit: true))
        #expect(during.basis.contains("while its docker_init.sh still ran"))
        let later = started.addingTimeInterval(10)
        #expect(OutageEstimator.oldStart(startedAt: later, log: log, initEnds: initEnds) == nil)
        #expect(OutageEstimator.oldStart(startedAt: started, log: Array(log.prefix(1)), initEnds: initEnds) == nil)
    }

    @Test("times as docker and stat print them, and nothing else")
    func times() throws {
        let docker = try #require(OutageEstimator.parseTime("2026-12-07T03:56:45.5Z"))
        let stat = try #require(OutageEstimator.parseTime("2026-12-07 05:56:45.500000000 +0200"))
        let colon = try #require(OutageEstimator.parseTime("2026-12-07T03:56:45.5+00:00"))
        #expect(docker == stat && docker == colon)
        #expect(docker.timeIntervalSince1970 == 1_796_615_805.5)
        #expect(OutageEstimator.parseTime("yesterday") == nil)
        #expect(OutageEstimator.parseTime("2026-12-07 03:56:45 EST") == nil)
    }

    @Test("the estimate survives plan.json")
    func codable() throws {
        let estimate = OutageEstimator(stopTimeout: 60).estimate(measured, madeAt: "plan")
        let decoded = try JSONDecoder().decode(OutageEstimate.self, from: JSONEncoder().encode(estimate))
        #expect(decoded == estimate)
    }
}
