import Foundation
import UpgradeEngine

/// Renders a report as Markdown for a change ticket: key figures, a text timeline, tables.
///
/// Values pass through ``ReportEscaping/markdown(_:)`` (table cells and prose) or
/// ``ReportEscaping/codeLine(_:)`` (inside the timeline's code block).
public struct MarkdownReport: Sendable {
    public let model: ReportModel
    /// Width of the timeline's bars, in characters.
    public var barWidth = 40

    public init(model: ReportModel) {
        self.model = model
    }

    /// The whole document.
    public func render() -> String {
        var lines = keyFigures()
        lines.append("")
        lines.append("## Timeline")
        lines.append("")
        lines += timeline()
        lines.append("")
        lines += outageParts()
        lines += deploymentAndChecks()
        lines += tablesBeforeAndAfter()
        lines += backupSection()
        lines += rollbackSection()
        return lines.joined(separator: "\n")
    }

    /// The title, the run and its key figures: the outage first, then why it failed or rolled back.
    func keyFigures() -> [String] {
        let m = ReportEscaping.markdown
        var lines: [String] = []
        lines.append("# OMS upgrade report: \(m(model.headline))")
        lines.append("")
        let run = "`\(ReportEscaping.codeLine(model.runID))`"
        lines.append("Run \(run), **\(m(model.phase))**, generated \(m(model.generatedAt.formatted(.iso8601))).")
        lines.append("")
        let outage = model.timeline.outages.isEmpty ? "none" : ReportDuration.text(model.outageSeconds)
        lines.append("| figure | value |")
        lines.append("| --- | --- |")
        lines.append("| **Outage** (OMS stopped → healthy) | **\(m(outage))** |")
        if let tool = model.stopToInitDoneSeconds {
            lines.append("| stop → init done (the vendor's init included) | \(m(ReportDuration.text(tool))) |")
        }
        if let own = model.toolOwnPartSeconds {
            lines.append("| the tool's own part (all but init) | \(m(ReportDuration.text(own))) |")
        }
        if let work = model.toolWorkSeconds, let startup = model.newOMSStartupSeconds {
            lines.append(
                "| the tool's work (its own part less the new OMS's start-up after init, "
                    + "\(m(ReportDuration.text(startup)))) | \(m(ReportDuration.text(work))) |")
        }
        if let start = model.serviceStartSeconds {
            lines.append("| service start (init done → healthy) | \(m(ReportDuration.text(start))) |")
        }
        if let online = model.timeline.onlinePhase {
            lines.append("| online phase (OMS serving) | \(m(ReportDuration.text(online.duration))) |")
        }
        lines.append("| whole run | \(m(ReportDuration.text(model.timeline.length))) |")
        lines.append("| result | \(m(model.phase)) |")
        if let reason = model.rollbackReason {
            lines.append("")
            lines.append("> Rolled back because: \(m(reason))")
        }
        for span in model.failures {
            lines.append("")
            lines.append("> Step `\(ReportEscaping.codeLine(span.step))` failed: \(m(span.message ?? "no message"))")
        }
        return lines
    }

    /// The outage's parts, estimated and measured; nothing when the plan has no estimate.
    func outageParts() -> [String] {
        guard !model.outageParts.isEmpty else { return [] }
        let m = ReportEscaping.markdown
        var lines: [String] = []
        lines.append("## Outage: estimated (\(m(model.outageEstimateMadeAt ?? ""))) and measured")
        lines.append("")
        lines.append("| part | estimated | measured | estimated from |")
        lines.append("| --- | ---: | ---: | --- |")
        for part in model.outageParts {
            lines.append(
                "| \(m(part.title)) | \(part.estimate.map(OutageEstimate.format) ?? "unknown") | "
                    + "\(part.measured.map(OutageEstimate.format) ?? "not run") | \(m(part.basis)) |")
        }
        lines.append("")
        return lines
    }

    /// The deployment, the route and the preflight checks.
    func deploymentAndChecks() -> [String] {
        let m = ReportEscaping.markdown
        var lines: [String] = []
        lines.append("## Deployment and route")
        lines.append("")
        lines += facts(model.deployment + model.route)
        lines.append("")
        lines.append("## Preflight checks")
        lines.append("")
        lines.append("| check | result | detail | remedy |")
        lines.append("| --- | --- | --- | --- |")
        for check in model.checks {
            lines.append(
                "| \(m(check.name)) | \(m(check.status.uppercased())) | \(m(check.detail)) | \(m(check.remedy ?? "")) |"
            )
        }
        lines.append("")
        return lines
    }

    /// Every table's row count and checksums in the backup and now.
    func tablesBeforeAndAfter() -> [String] {
        let m = ReportEscaping.markdown
        var lines: [String] = []
        lines.append("## Tables before and after")
        lines.append("")
        if model.tables.isEmpty {
            lines.append("No backup manifest: the run stopped before its backup.")
        } else {
            lines.append("Before: the backup's manifest. Now: \(m(model.afterSource)).")
            lines.append("")
            lines.append("| database | table | rows before | rows now | checksum before | checksum now | |")
            lines.append("| --- | --- | ---: | ---: | --- | --- | --- |")
            for row in model.tables {
                let before = row.before.map { "\($0.crc32Sum)/\($0.reversedCRC32Sum)" } ?? ""
                let after = row.after.map { "\($0.crc32Sum)/\($0.reversedCRC32Sum)" } ?? ""
                let rowsBefore = row.before.map { String($0.rowCount) } ?? ""
                let rowsAfter = row.after.map { String($0.rowCount) } ?? ""
                let cells = [m(row.database), m(row.table), rowsBefore, rowsAfter, m(before), m(after)]
                lines.append("| " + (cells + [m(row.comparison.rawValue)]).joined(separator: " | ") + " |")
            }
        }
        lines.append("")
        return lines
    }

    /// The verified backup: where, what, and its files.
    func backupSection() -> [String] {
        let m = ReportEscaping.markdown
        var lines: [String] = []
        lines.append("## Backup")
        lines.append("")
        if let backup = model.backup {
            lines += facts(
                [
                    ReportModel.Fact("location", backup.directory), ReportModel.Fact("dumper", backup.dumper),
                    ReportModel.Fact("content", "\(backup.tables) tables, \(backup.objects), \(backup.rows) rows"),
                    ReportModel.Fact("took", ReportDuration.text(backup.durationSeconds)),
                ]
                    + (model.snapshotDatabases.isEmpty
                        ? []
                        : [ReportModel.Fact("snapshot databases", model.snapshotDatabases.joined(separator: ", "))]))
            lines.append("")
            lines.append("| database | file | size | sha256 |")
            lines.append("| --- | --- | ---: | --- |")
            for file in backup.files {
                lines.append("| \(m(file.database)) | \(m(file.name)) | \(file.size) B | \(m(file.sha256)) |")
            }
        } else {
            lines.append("No verified backup in this run.")
        }
        lines.append("")
        return lines
    }

    /// What a rollback and a resume would do now.
    func rollbackSection() -> [String] {
        let m = ReportEscaping.markdown
        var lines: [String] = []
        lines.append("## What rollback would do")
        lines.append("")
        for (index, action) in model.rollbackPlan.enumerated() { lines.append("\(index + 1). \(m(action))") }
        lines.append("")
        lines.append("Resume would: \(m(model.resumeWouldDo)).")
        lines.append("")
        return lines
    }

    private func facts(_ facts: [ReportModel.Fact]) -> [String] {
        let m = ReportEscaping.markdown
        return ["| | |", "| --- | --- |"] + facts.map { "| \(m($0.label)) | \(m($0.value)) |" }
    }

    static func leftPadded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// The timeline as a fixed-width chart in a code block: one bar per step attempt.
    func timeline() -> [String] {
        let timeline = model.timeline
        guard !timeline.spans.isEmpty else { return ["No step has started yet."] }
        let length = max(timeline.length, 0.001)
        // With several nodes, one lane per node under its own heading, after the deployment's own steps.
        let lanes: [String?] = timeline.lanes.count > 1 ? timeline.lanes.map { $0 } : [nil]
        let spans = lanes.flatMap { lane in timeline.spans.filter { lane == nil || $0.lane == lane } }
        let labels = spans.map { span -> String in
            ReportEscaping.codeLine(span.step + (span.attempt > 1 ? " #\(span.attempt)" : ""))
        }
        let labelWidth = min(40, labels.map(\.count).max() ?? 4)
        var lines = ["```"]
        var lane: String?
        for (span, label) in zip(spans, labels) {
            if timeline.lanes.count > 1, span.lane != lane {
                lane = span.lane
                lines.append(
                    "-- "
                        + (span.lane.isEmpty ? "deployment (every node)" : "node " + ReportEscaping.codeLine(span.lane))
                        + " --")
            }
            let from = Int((span.start / length * Double(barWidth)).rounded(.down))
            let to = max(from + 1, Int((span.end / length * Double(barWidth)).rounded(.up)))
            let mark: Character = span.phase == .outage ? "#" : span.phase == .rollback ? "%" : "="
            var bar = String(repeating: " ", count: min(from, barWidth))
            bar += String(repeating: mark, count: max(1, min(to, barWidth) - min(from, barWidth)))
            bar = bar.padding(toLength: barWidth, withPad: " ", startingAt: 0)
            let phase = span.phase == .outage ? "OUTAGE" : span.phase.rawValue
            let outcome = span.outcome == .completed ? "" : " " + span.outcome.rawValue
            lines.append(
                String(label.prefix(labelWidth)).padding(toLength: labelWidth, withPad: " ", startingAt: 0)
                    + " |" + bar + "| " + Self.leftPadded(String(format: "+%.2fs", span.start), 9)
                    + Self.leftPadded(String(format: "%.2fs", span.duration), 9) + " " + phase + outcome)
        }
        for (index, outage) in model.timeline.outages.enumerated() {
            lines.append(
                String(
                    format: "outage %d: +%.2fs to +%.2fs = %@", index + 1, outage.start, outage.end,
                    ReportDuration.text(outage.duration)))
        }
        lines.append("```")
        lines.append("")
        lines.append("`=` OMS serving, `#` OMS down (outage), `%` rollback while OMS served.")
        return lines
    }
}
