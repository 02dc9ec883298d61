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
        #expect(abs(estimate.toolSeconds - (0.06 + 12 * 0.034 + 0.042 + 0.08 + 0.185)) < 1e-9, "\(estimate)")
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

    @Test("the estimate survives plan.json")
    func codable() throws {
        let estimate = OutageEstimator(stopTimeout: 60).estimate(measured, madeAt: "plan")
        let decoded = try JSONDecoder().decode(OutageEstimate.self, from: JSONEncoder().encode(estimate))
        #expect(decoded == estimate)
    }
}
