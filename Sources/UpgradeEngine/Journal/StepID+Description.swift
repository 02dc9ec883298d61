extension StepID {
    /// The part of the upgrade a step belongs to: while the old OMS serves, the outage, or after.
    public enum Phase: String, Sendable, CaseIterable {
        case online = "while the old OMS serves"
        case outage = "OMS down"
        case after = "while the new OMS serves"
    }

    /// The phase of an upgrade step (rollback steps count as after).
    public var phase: Phase {
        if isDowntime { return .outage }
        if let index = Self.upgradeSequence.firstIndex(of: self),
            let stop = Self.upgradeSequence.firstIndex(of: .stopOld), index < stop
        {
            return .online
        }
        return .after
    }

    /// What the step does, said for a single-node run or for every node of a multi-node run.
    public func summary(multiNode: Bool) -> String {
        guard multiNode else { return summary }
        switch self {
        case .prePrune: return "Prune old heartbeat rows of every region online, while OMS still runs"
        case .onlineCopy:
            return "Copy rm, cm and every region's heartbeat database online into the snapshot databases,"
                + " capturing changes with triggers"
        case .stopOld: return "Stop the OMS container on every node, in parallel"
        case .catchUp:
            return "Catch the snapshot of rm, cm and every region's heartbeat database up with the rows changed"
                + " since the online copy, and prove it"
        case .prune: return "Prune every region's heatbeat_sequence to its newest row"
        case .startNew: return "Start the new image on every node, each with its own OMS_HOST_IP"
        case .initSchema: return "Run the metadata init script (bash /root/docker_init.sh) where the init rule says"
        case .health: return "Wait until every node reports healthy"
        case .backup:
            return "Write the verified SQL backup of rm, cm and every region's heartbeat database from the snapshot,"
                + " while the new OMS serves"
        case .rollbackStopNew: return "Stop the new OMS container on every node"
        case .rollbackContainers: return "Give every node's old container its name back and start it"
        case .rollbackHealth: return "Wait until every node's old OMS reports healthy"
        default: return summary
        }
    }

    /// The upgrade's order as numbered lines, one per step the runner executes, grouped by phase.
    ///
    /// Plans print this, so the text can never describe another order than the one that runs.
    public static func upgradeOrder(multiNode: Bool, skipped: (StepID) -> String? = { _ in nil }) -> [String] {
        var lines: [String] = []
        var phase: Phase?
        for (index, step) in upgradeSequence.enumerated() {
            if step.phase != phase {
                phase = step.phase
                lines.append("  \(step.phase.rawValue):")
            }
            let note = skipped(step).map { " (skipped: \($0))" } ?? ""
            lines.append("    \(index + 1). \(step.summary(multiNode: multiNode))\(note)")
        }
        return lines
    }
}
