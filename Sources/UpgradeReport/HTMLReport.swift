import Foundation
import MetaDump
import UpgradeEngine

/// Renders a report as one self-contained HTML page: inline CSS and SVG, no script, no external resource.
///
/// Every value from the run passes through ``ReportEscaping/html(_:)``: database and table names
/// may hold `<`, `&` and quotes.
public struct HTMLReport: Sendable {
    public let model: ReportModel

    public init(model: ReportModel) {
        self.model = model
    }

    /// The whole page.
    public func render() -> String {
        let e = ReportEscaping.html
        var html: [String] = []
        html.append("<!DOCTYPE html>")
        html.append("<html lang=\"en\"><head><meta charset=\"utf-8\">")
        html.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        html.append("<title>\(e("OMS upgrade report: \(model.headline) (\(model.runID))"))</title>")
        html.append("<style>\(Self.css)</style></head><body>")
        html.append("<header><h1>OMS upgrade report</h1>")
        html.append("<p class=\"headline\">\(e(model.headline))</p>")
        let phase = "<span class=\"phase phase-\(e(model.phase))\">\(e(model.phase))</span>"
        let generated = e(model.generatedAt.formatted(.iso8601))
        let run = "<code>\(e(model.runID))</code>"
        html.append("<p class=\"meta\">run \(run) · \(phase) · generated \(generated)</p></header>")
        html.append(keyFigures())
        html.append(section("Timeline", id: "timeline", timelineSection()))
        if !model.outageParts.isEmpty {
            html.append(
                section(
                    "Outage: estimated (\(model.outageEstimateMadeAt ?? "")) and measured", id: "outage-parts",
                    outagePartsTable()))
        }
        html.append(section("Deployment and route", id: "deployment", factTable(model.deployment + model.route)))
        html.append(section("Preflight checks", id: "checks", checksTable()))
        html.append(section("Steps", id: "steps", stepsTable()))
        html.append(section("Tables before and after", id: "tables", tablesSection()))
        html.append(section("Backup", id: "backup", backupSection()))
        html.append(section("What rollback would do", id: "rollback", rollbackSection()))
        html.append(
            section(
                "Run log (last \(model.logTail.count) lines)", id: "log",
                "<pre class=\"log\">\(e(model.logTail.joined(separator: "\n")))</pre>"))
        html.append("<footer>Made by <code>oms-upgrade report</code> from <code>\(e(model.runDirectory))</code>. ")
        html.append("Self-contained: no script, no external resource. ")
        html.append("Holds no password and no container environment value.</footer>")
        html.append("</body></html>")
        return html.joined(separator: "\n") + "\n"
    }

    /// A table row of cells that are already markup; `header` makes them `th`.
    static func row(_ cells: [String], header: Bool = false, attributes: String = "") -> String {
        let tag = header ? "th" : "td"
        return "<tr\(attributes)>" + cells.map { "<\(tag)>\($0)</\(tag)>" }.joined() + "</tr>"
    }

    private func section(_ title: String, id: String, _ body: String) -> String {
        "<section id=\"\(id)\"><h2>\(ReportEscaping.html(title))</h2>\n\(body)\n</section>"
    }

    private func keyFigures() -> String {
        let e = ReportEscaping.html
        var cards: [String] = []
        let outage = model.timeline.outages.isEmpty ? "none" : ReportDuration.text(model.outageSeconds)
        cards.append(
            card(
                "Outage", outage, id: "outage-figure", emphasis: true,
                note: model.timeline.outages.count > 1
                    ? "\(model.timeline.outages.count) outages" : "OMS stopped → OMS healthy"))
        if let tool = model.stopToInitDoneSeconds {
            cards.append(card("Stop → init done", ReportDuration.text(tool), note: "the vendor's init included"))
        }
        if let own = model.toolOwnPartSeconds {
            cards.append(card("Tool's own part", ReportDuration.text(own), note: "all but init"))
        }
        if let work = model.toolWorkSeconds, let startup = model.newOMSStartupSeconds {
            cards.append(
                card(
                    "Tool's work", ReportDuration.text(work),
                    note: "own part less the new OMS's start-up after init (\(ReportDuration.text(startup)))"))
        }
        if let start = model.serviceStartSeconds {
            cards.append(card("Service start", ReportDuration.text(start), note: "init done → healthy"))
        }
        if let online = model.timeline.onlinePhase {
            cards.append(
                card("Online phase", ReportDuration.text(online.duration), note: "before the stop, OMS serving"))
        }
        cards.append(
            card(
                "Whole run", ReportDuration.text(model.timeline.length),
                note: "\(model.timeline.spans.count) step attempts"))
        cards.append(
            card(
                "Result", model.phase,
                note: model.failures.isEmpty ? "no step failed" : "\(model.failures.count) step(s) failed"))
        var out = "<div class=\"cards\">" + cards.joined() + "</div>"
        if let reason = model.rollbackReason {
            out += "<p class=\"alert\">Rolled back because: \(e(reason))</p>"
        }
        for span in model.failures {
            out +=
                "<p class=\"alert\">Step <code>\(e(span.step))</code> failed: \(e(span.message ?? "no message"))</p>"
        }
        return out
    }

    private func card(
        _ title: String, _ value: String, id: String? = nil, emphasis: Bool = false, note: String
    ) -> String {
        let e = ReportEscaping.html
        return "<div class=\"card\(emphasis ? " outage" : "")\"><div class=\"card-title\">\(e(title))</div>"
            + "<div class=\"card-value\"\(id.map { " id=\"\($0)\"" } ?? "")>\(e(value))</div>"
            + "<div class=\"card-note\">\(e(note))</div></div>"
    }

    private func timelineSection() -> String {
        guard !model.timeline.spans.isEmpty else { return "<p>No step has started yet.</p>" }
        return "<div class=\"chart\">" + TimelineSVG(timeline: model.timeline).render() + "</div>"
    }

    private func factTable(_ facts: [ReportModel.Fact]) -> String {
        let e = ReportEscaping.html
        let rows = facts.map { "<tr><th>\(e($0.label))</th><td>\(e($0.value))</td></tr>" }
        return "<table class=\"facts\">" + rows.joined(separator: "\n") + "</table>"
    }

    private func checksTable() -> String {
        let e = ReportEscaping.html
        guard !model.checks.isEmpty else { return "<p>The plan recorded no checks.</p>" }
        var rows = [Self.row(["check", "result", "detail", "remedy"], header: true)]
        for check in model.checks {
            let badge = "<span class=\"badge \(e(check.status))\">\(e(check.status.uppercased()))</span>"
            rows.append(Self.row(["<code>\(e(check.name))</code>", badge, e(check.detail), e(check.remedy ?? "")]))
        }
        return "<table>" + rows.joined(separator: "\n") + "</table>"
    }

    private func outagePartsTable() -> String {
        let e = ReportEscaping.html
        var rows = [
            "<tr><th>part</th><th class=\"num\">estimated</th><th class=\"num\">measured</th><th>estimated from</th></tr>"
        ]
        for part in model.outageParts {
            rows.append(
                "<tr><td>\(e(part.title))</td><td class=\"num\">\(e(part.estimate.map(OutageEstimate.format) ?? "unknown"))</td>"
                    + "<td class=\"num\">\(e(part.measured.map(OutageEstimate.format) ?? "not run"))</td>"
                    + "<td>\(e(part.basis))</td></tr>")
        }
        return "<table>" + rows.joined(separator: "\n") + "</table>"
    }

    private func stepsTable() -> String {
        let e = ReportEscaping.html
        let lanes = model.timeline.lanes.count > 1
        var header = "<tr><th>step</th>" + (lanes ? "<th>node</th>" : "")
        header += "<th>what it does</th><th>phase</th><th>start</th><th>duration</th><th>outcome</th></tr>"
        var rows = [header]
        for span in model.timeline.spans {
            var row = "<tr class=\"phase-\(span.phase.rawValue)\"><td><code>\(e(span.step))</code>"
            row += span.attempt > 1 ? " <small>attempt \(span.attempt)</small></td>" : "</td>"
            if lanes { row += "<td>\(e(span.lane))</td>" }
            row += "<td>\(e(span.summary))</td>"
            row += "<td><span class=\"dot \(span.phase.rawValue)\"></span>\(span.phase.rawValue)</td>"
            row += String(format: "<td class=\"num\">+%.2f s</td>", span.start)
            row += "<td class=\"num\">\(e(ReportDuration.text(span.duration)))</td>"
            let message = span.message.map { "<div class=\"message\">\(e($0))</div>" } ?? ""
            row += "<td>\(e(span.outcome.rawValue))\(message)</td></tr>"
            rows.append(row)
        }
        return "<table>" + rows.joined(separator: "\n") + "</table>"
    }

    private func tablesSection() -> String {
        let e = ReportEscaping.html
        guard !model.tables.isEmpty else { return "<p>No backup manifest: the run stopped before its backup.</p>" }
        var out = "<p>Before: the backup's manifest (taken while OMS was stopped). Now: \(e(model.afterSource)).</p>"
        var rows = [
            Self.row(
                ["database", "table", "rows before", "rows now", "checksum before", "checksum now", ""], header: true)
        ]
        for row in model.tables {
            let comparison = row.comparison
            let style = " class=\"cmp-\(comparison.rawValue.replacingOccurrences(of: " ", with: "-"))\""
            rows.append(
                "<tr\(style)><td>\(e(row.database))</td><td>\(e(row.table))</td>"
                    + "<td class=\"num\">\(row.before.map { String($0.rowCount) } ?? "")</td>"
                    + "<td class=\"num\">\(row.after.map { String($0.rowCount) } ?? "")</td>"
                    + "<td><code>\(e(row.before.map(Self.shortChecksum) ?? ""))</code></td>"
                    + "<td><code>\(e(row.after.map(Self.shortChecksum) ?? ""))</code></td>"
                    + "<td>\(e(comparison.rawValue))</td></tr>")
        }
        out += "<table class=\"tables\">" + rows.joined(separator: "\n") + "</table>"
        return out
    }

    /// The two CRC sums, as the manifest has them.
    static func shortChecksum(_ checksum: TableChecksum) -> String {
        "\(checksum.crc32Sum)/\(checksum.reversedCRC32Sum)"
    }

    private func backupSection() -> String {
        let e = ReportEscaping.html
        guard let backup = model.backup else {
            return "<p>No verified backup in this run (it stopped before the backup step finished).</p>"
        }
        var facts = [
            ReportModel.Fact("location", backup.directory),
            ReportModel.Fact("dumper", backup.dumper),
            ReportModel.Fact("server", "\(backup.server) (\(backup.serverVersion))"),
            ReportModel.Fact("started", backup.startedAt.formatted(.iso8601)),
            ReportModel.Fact("took", ReportDuration.text(backup.durationSeconds)),
            ReportModel.Fact("content", "\(backup.tables) tables, \(backup.objects), \(backup.rows) rows"),
            ReportModel.Fact("checksums", backup.checksumAlgorithm),
        ]
        if !model.snapshotDatabases.isEmpty {
            facts.append(ReportModel.Fact("snapshot databases", model.snapshotDatabases.joined(separator: ", ")))
        }
        var out = factTable(facts)
        var rows = [Self.row(["database", "file", "size (bytes)", "sha256"], header: true)]
        for file in backup.files {
            rows.append(
                Self.row([
                    e(file.database), "<code>\(e(file.name))</code>", "\(file.size)",
                    "<code class=\"hash\">\(e(file.sha256))</code>",
                ]))
        }
        out += "<h3>manifest.json</h3><table>" + rows.joined(separator: "\n") + "</table>"
        return out
    }

    private func rollbackSection() -> String {
        let e = ReportEscaping.html
        var out = "<ol class=\"rollback\">" + model.rollbackPlan.map { "<li>\(e($0))</li>" }.joined() + "</ol>"
        out += "<p>Resume would: \(e(model.resumeWouldDo)).</p>"
        out += "<p class=\"note\">After an upgrade with HA back on, Store and Incr-Sync recover by themselves; "
        out += "Full-Import components must be restarted by hand.</p>"
        return out
    }

    static let css = """
        body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;color:#202124;margin:24px auto;max-width:1180px;
        padding:0 16px;font-size:14px;line-height:1.45}
        h1{font-size:26px;margin:0 0 4px}
        h2{font-size:19px;border-bottom:2px solid #e8eaed;padding-bottom:4px;margin-top:32px}
        h3{font-size:15px;margin:16px 0 6px}.headline{font-size:18px;margin:0 0 4px;font-weight:bold}
        code{font-family:"DejaVu Sans Mono",monospace;font-size:12.5px;background:#f1f3f4;padding:1px 4px;
        border-radius:3px;word-break:break-all}
        .meta{color:#5f6368;margin:0}.phase{padding:2px 8px;border-radius:10px;background:#e8eaed;font-weight:bold}
        .phase-upgraded{background:#e6f4ea;color:#137333}
        .phase-rolled-back,.phase-rolling-back{background:#f3e8fd;color:#7627bb}
        .phase-upgrading{background:#fef7e0;color:#b06000}.cards{display:flex;gap:12px;margin:20px 0}
        .card{border:1px solid #dadce0;border-radius:8px;padding:10px 14px;flex:1 1 0;min-width:0;background:#fff}
        .card.outage{border:2px solid #d93025;background:#fce8e6;flex:1.6 1 0}
        .card-title{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#5f6368}
        .card-value{font-size:26px;font-weight:bold}.card.outage .card-value{font-size:38px;color:#c5221f}
        .card-note{font-size:12px;color:#5f6368}
        .alert{border-left:4px solid #d93025;background:#fce8e6;padding:8px 12px}
        .chart{overflow-x:auto;border:1px solid #dadce0;border-radius:8px;padding:6px;background:#fff}
        table{border-collapse:collapse;width:100%;margin:6px 0}
        th,td{border-bottom:1px solid #e8eaed;padding:5px 8px;text-align:left;vertical-align:top}
        th{background:#f8f9fa;font-weight:bold}td:first-child code{white-space:nowrap;word-break:normal}
        table.facts th{width:220px}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        .badge{padding:1px 7px;border-radius:9px;font-size:11px;font-weight:bold}
        .badge.pass{background:#e6f4ea;color:#137333}.badge.warn{background:#fef7e0;color:#b06000}
        .badge.fail{background:#fce8e6;color:#c5221f}
        .dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:6px}
        .dot.online{background:#188038}.dot.outage{background:#d93025}.dot.after{background:#1a73e8}
        .dot.rollback{background:#9334e6}tr.phase-outage td{background:#fff5f4}.message{color:#c5221f;font-size:12px}
        pre.log{background:#202124;color:#e8eaed;padding:12px;border-radius:6px;overflow-x:auto;font-size:12px;
        white-space:pre-wrap}
        tr.cmp-changed td,tr.cmp-added td,tr.cmp-removed td{background:#fef7e0}.hash{font-size:11px}
        .note{color:#5f6368}footer{margin-top:36px;color:#5f6368;font-size:12px}
        """
}
