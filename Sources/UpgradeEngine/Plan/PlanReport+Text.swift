import Foundation
import TerminalProgress

extension PlanReport {
    /// The report as text for a person: checks, sizes, and for a ready plan its steps with their manual
    /// commands and the downtime.
    public func renderText() -> String {
        var lines: [String] = []
        lines.append("Upgrade plan: \(options.container) -> \(options.image)")
        if let route = findings.route {
            lines.append(
                "Route: \(route.from) -> \(route.to)"
                    + (route.notes.isEmpty ? "" : " (\(route.notes.joined(separator: "; ")))"))
        }
        if let configPath = findings.configPath { lines.append("config.yaml: \(configPath)") }
        if let server = findings.metaServer, let databases = findings.databases {
            lines.append(
                "Metadata: \(server.text), databases \(databases.rm), \(databases.cm), \(databases.cmHeartbeat)")
        }
        if let newContainer = findings.newContainer {
            lines.append(
                "New container: \(newContainer.name)"
                    + (findings.renameOldTo.map { " (the old one is renamed to \($0))" } ?? ""))
        }
        lines.append("")
        lines.append("Checks:")
        for check in checks {
            lines.append("  [\(check.status.rawValue.uppercased())] \(check.name): \(check.detail)")
            if check.status != .pass, let remedy = check.remedy { lines.append("         remedy: \(remedy)") }
        }
        if !findings.sizes.isEmpty {
            lines.append("")
            lines.append("Sizes (\(UpgradePlan.DatabaseSize.howMeasured)):")
            for size in findings.sizes {
                lines.append(
                    "  \(size.database): \(size.tables) tables, ~\(size.rows) rows, \(ProgressUnit.bytes.format(Double(size.bytes)))"
                )
            }
            lines.append("  heartbeat rows to prune: ~\(findings.heartbeatRowsToPrune)")
        }
        if !findings.differencesFromGuide.isEmpty {
            lines.append("")
            lines.append("Differences from the vendor guide's docker run:")
            for difference in findings.differencesFromGuide { lines.append("  - \(difference)") }
        }
        if let plan, !plan.steps.isEmpty {
            lines.append("")
            lines.append("By hand, first create the 0600 client defaults file the commands below read:")
            for command in plan.manualPrelude { lines.append("       $ " + command) }
            lines.append("Steps (the order of the upgrade, as it runs):")
            var phase: StepID.Phase?
            for (index, step) in plan.steps.enumerated() {
                if step.id.phase != phase {
                    phase = step.id.phase
                    lines.append("  \(step.id.phase.rawValue):")
                }
                let marker = step.downtime ? " [downtime]" : ""
                lines.append(
                    "  \(index + 1). \(step.summary)\(marker)" + (step.skippedBecause.map { " (skipped: \($0))" } ?? "")
                )
                for command in step.manualCommands {
                    for (lineIndex, commandLine) in command.split(separator: "\n", omittingEmptySubsequences: false)
                        .enumerated()
                    {
                        lines.append((lineIndex == 0 ? "       $ " : "         ") + commandLine)
                    }
                }
            }
            lines.append("")
            if let estimate = plan.outageEstimate {
                lines.append("Estimated outage, part by part (stop to healthy):")
                lines += estimate.lines()
            } else {
                lines.append("Estimated outage: not measured.")
            }
        }
        lines.append("")
        lines.append(
            isReady
                ? "Ready: every check passed." : "NOT ready: \(failures.count) check(s) failed; nothing was changed.")
        return lines.joined(separator: "\n")
    }
}
