extension StepID {
    /// The part of the upgrade a step belongs to: while the old OMS serves, the outage, or after.
    public enum Phase: String, Sendable, CaseIterable {
        case online = "while the old OMS serves"
        case outage = "OMS down"
        case after = "while the new OMS serves"
    }

    /// The phase of an upgrade step (rollback steps count as after).
    public var phase: Phase {
        switch StepSequence.production.step(self)?.phase {
        case .online: .online
        case .outage, nil: .outage  // nil: .snapshot, which ran in the downtime
        case .after, .rollback: .after
        }
    }

    /// What the step does, said for a single-node run or for every node of a multi-node run.
    public func summary(multiNode: Bool) -> String {
        guard multiNode, let step = StepSequence.production.step(self) else { return summary }
        return step.multiNodeSummary
    }

    /// The upgrade's order as numbered lines, one per step the runner executes, grouped by phase,
    /// each with the reason it is skipped under `conditions`.
    ///
    /// Plans print this, so the text can never describe another order than the one that runs.
    static func upgradeOrder(multiNode: Bool, conditions: StepConditions) -> [String] {
        var lines: [String] = []
        var phase: Phase?
        for (index, step) in StepSequence.production.upgrade.enumerated() {
            if step.id.phase != phase {
                phase = step.id.phase
                lines.append("  \(step.id.phase.rawValue):")
            }
            let note = step.skipReason(conditions).map { " (skipped: \($0))" } ?? ""
            lines.append("    \(index + 1). \(step.id.summary(multiNode: multiNode))\(note)")
        }
        return lines
    }
}
