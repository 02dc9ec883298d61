import OMSDeployment
import TerminalProgress

extension MultiNodePlan {
    /// The plan as text for a person: topology, what runs where, checks, order of the upgrade.
    public func renderText() -> String {
        var lines: [String] = []
        lines.append(
            "Multi-node upgrade plan: \(options.container) -> \(options.image)"
                + " on \(options.nodes.count) node(s)")
        if let route { lines.append("Route: \(route.from) -> \(route.to)") }
        if let topology {
            lines.append("Metadata: \(topology.metaEndpoint), databases \(topology.rmDatabase), \(topology.cmDatabase)")
            lines.append("")
            lines.append("Topology:")
            for region in topology.regions {
                lines.append(
                    "  region \(region.label)\(region.isDefault ? " [default]" : ""): cm_url \(region.cmURL),"
                        + " heartbeat database \(region.heartbeatDatabase)")
                for node in topology.nodes(in: region.location) {
                    let state = node.running ? "running" : "not running"
                    lines.append(
                        "    node \(node.ip) (\(node.endpoint)): \(node.container) \(node.image), \(state)"
                            + (node.runsInit ? " [init]" : ""))
                }
            }
            lines.append(
                "Init: \(topology.initPlacement.explanation);"
                    + " on \(topology.initNodes.joined(separator: ", "))")
            lines.append("")
            lines.append("What runs where:")
            for node in topology.nodes {
                lines.append("  \(node.ip): \(node.actions.joined(separator: ", "))")
            }
            if let newContainerName { lines.append("  new containers: \(newContainerName) on every node") }
        }
        if !sizes.isEmpty {
            lines.append("")
            lines.append("Sizes (\(UpgradePlan.DatabaseSize.howMeasured)):")
            for size in sizes {
                lines.append(
                    "  \(size.database): \(size.tables) tables, ~\(size.rows) rows,"
                        + " \(ProgressUnit.bytes.format(Double(size.bytes)))")
            }
            if let heartbeatRowsToPrune { lines.append("  heartbeat rows to prune: ~\(heartbeatRowsToPrune)") }
        }
        if let outageEstimate {
            lines.append("")
            lines.append("Estimated outage (the nodes stop and start together: each part is its slowest node's):")
            lines += outageEstimate.lines()
            if let nodeEstimates, nodeEstimates.count > 1 {
                lines.append("  per node:")
                for node in nodeEstimates {
                    let parts = node.estimate.items.map { item in
                        "\(item.part.rawValue) \(item.seconds.map(OutageEstimate.format) ?? "unknown")"
                    }
                    lines.append(
                        "    \(node.ip): \(parts.joined(separator: ", ")); the tool's own part"
                            + " \(OutageEstimate.format(node.estimate.toolSeconds))")
                }
            }
        }
        lines.append("")
        lines.append("Checks:")
        for check in checks {
            lines.append("  [\(check.status.rawValue.uppercased())] \(check.name): \(check.detail)")
            if check.status != .pass, let remedy = check.remedy { lines.append("         remedy: \(remedy)") }
        }
        lines.append("")
        lines.append("Order of the upgrade:")
        lines += StepID.upgradeOrder(multiNode: true, conditions: StepConditions(haEnabled: haEnabled))
        lines.append("")
        lines.append(
            "`oms-upgrade apply` with the same options and --node arguments carries this out on every node"
                + " as one run; `resume` and `rollback` then need no --node (see docs/MULTINODE.md).")
        lines.append(isReady ? "Ready: every check passed." : "Not ready: \(failures.count) check(s) failed.")
        return lines.joined(separator: "\n")
    }
}
