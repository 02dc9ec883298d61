import Foundation
import Testing

@testable import UpgradeEngine

/// The order a plan prints is the runner's own step list, single- and multi-node.
@Suite("the plan's order of the upgrade")
struct PlanOrderTests {
    /// The numbered step lines of `text`, in the order printed.
    private func numberedLines(_ text: Substring) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.first?.isNumber == true }
    }

    @Test("the multi-node plan lists the runner's steps in the runner's order; the backup comes after health")
    func multiNodeOrderIsTheRunnersOrder() throws {
        let plan = MultiNodePlan(
            options: MultiNodePlanOptions(container: "oms", image: "oms:feature_3.3.0_ce", nodes: []))
        let text = plan.renderText()
        let order = try #require(text.range(of: "Order of the upgrade:"))
        let lines = numberedLines(text[order.upperBound...])
        #expect(lines.count == StepID.upgradeSequence.count, "\(lines)")
        for (index, (line, step)) in zip(lines, StepID.upgradeSequence).enumerated() {
            #expect(line.hasPrefix("\(index + 1). \(step.summary(multiNode: true))"), "\(line)")
        }
        let stop = try #require(lines.firstIndex { $0.contains("Stop the OMS container on every node") })
        let start = try #require(lines.firstIndex { $0.contains("Start the new image on every node") })
        let backup = try #require(lines.firstIndex { $0.contains("backup") })
        let healthy = try #require(lines.firstIndex { $0.contains("every node reports healthy") })
        #expect(!lines[stop...start].contains { $0.lowercased().contains("back up") || $0.contains("backup") })
        #expect(backup > healthy, "the backup is written after the nodes are healthy")
        #expect(text.contains("OMS down:") && text.contains("while the new OMS serves:"))
        #expect(text.contains("(skipped: HA is not on)"))
    }

    @Test("each step's phase follows the runner's sequence: online before the stop, outage, then after")
    func phases() {
        let phases = StepID.upgradeSequence.map(\.phase)
        #expect(phases.first == .online && phases.last == .after)
        #expect(phases == phases.sorted { Self.rank($0) < Self.rank($1) }, "\(phases)")
        #expect(StepID.backup.phase == .after && StepID.onlineCopy.phase == .online && StepID.catchUp.phase == .outage)
    }

    private static func rank(_ phase: StepID.Phase) -> Int { StepID.Phase.allCases.firstIndex(of: phase) ?? 0 }
}
