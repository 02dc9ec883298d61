import Foundation
import MetaDump
import Testing

@testable import UpgradeReport

@Suite("report rendering")
struct ReportRenderingTests {
    static func afterState() -> [String: [String: TableChecksum]] {
        [
            SyntheticRun.hostile: [
                "oms_project": TableChecksum(rowCount: 50, crc32Sum: "350", reversedCRC32Sum: "550"),
                "a|b<c>": TableChecksum(rowCount: 4, crc32Sum: "1", reversedCRC32Sum: "2"),
                "oms_version": TableChecksum(rowCount: 1, crc32Sum: "9", reversedCRC32Sum: "9"),
            ]
        ]
    }

    @Test("HTML: self-contained, the outage figure and every step on it, the SVG timeline with the outage band")
    func htmlContent() {
        let model = SyntheticRun.upgraded().model(after: Self.afterState())
        let html = HTMLReport(model: model).render()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("id=\"outage-figure\">10.0 s<"), "the outage as a key figure")
        #expect(html.contains("OUTAGE 10.0 s"), "the outage labelled on the chart")
        #expect(html.contains("class=\"outage-band\""))
        for step in [
            "pre-prune", "ha-off", "online-copy", "stop-old", "catch-up", "prune", "start-new", "init", "health",
            "backup",
            "ha-on",
        ] {
            #expect(html.contains("data-step=\"\(step)\""), "step \(step) drawn on the timeline")
        }
        for external in ["<script", "<link", " src=", "@import", "url(", "http://www", "https://"] {
            #expect(!html.contains(external), "no external resource or script: \(external)")
        }
    }

    @Test("HTML: names with <, & and quotes are escaped everywhere; no password, no container env value")
    func htmlEscaping() {
        var run = SyntheticRun.upgraded()
        run.add(14, .note, message: "x")
        let model = run.model(after: Self.afterState(), log: ["line with \(SyntheticRun.password) <b>bold</b>"])
        let html = HTMLReport(model: model).render()
        #expect(!html.contains(SyntheticRun.hostile), "the raw name never appears")
        #expect(html.contains("oms&lt;rm&gt;&amp;&quot;x&#39;"))
        #expect(!html.contains("a|b<c>") && html.contains("a|b&lt;c&gt;"))
        #expect(!html.contains("<b>bold</b>") && html.contains("&lt;b&gt;bold&lt;/b&gt;"))
        #expect(!html.contains("HA <on>"))
        #expect(!html.contains(SyntheticRun.password), "the password is redacted")
        #expect(!html.contains(SyntheticRun.envSecret), "no container environment value")
        #expect(!html.contains("OMS_HOST_IP"), "no environment at all")
        #expect(html.contains("/data/&lt;conf&gt;/config.yaml"), "mount paths escaped")
    }

    @Test("tables: counts and checksums before and now, compared")
    func tables() {
        let model = SyntheticRun.upgraded().model(after: Self.afterState())
        let rows = Dictionary(uniqueKeysWithValues: model.tables.map { ($0.table, $0.comparison) })
        #expect(rows["oms_project"] == .same)
        #expect(rows["a|b<c>"] == .changed)
        #expect(rows["oms_version"] == .added)
        let offline = SyntheticRun.upgraded().model(after: nil)
        #expect(offline.tables.allSatisfy { $0.comparison == .unchecked })
    }

    @Test("rollback plan: what a rollback would do after a finished upgrade")
    func rollbackPlan() {
        let model = SyntheticRun.upgraded().model()
        let text = model.rollbackPlan.joined(separator: "\n")
        #expect(text.contains("Stop the new container oms_330"))
        #expect(text.contains("Swap the pre-upgrade snapshot back"))
        #expect(text.contains("oms-upgrade rollback --work-dir /work"))
    }

    @Test("Markdown: escaped cells, a text timeline with the outage, no password or env value")
    func markdown() {
        let model = SyntheticRun.upgraded().model(after: Self.afterState(), log: [SyntheticRun.password])
        let text = MarkdownReport(model: model).render()
        #expect(text.contains("| **Outage** (OMS stopped → healthy) | **10.0 s** |"), "\(text)")
        #expect(text.contains("| stop → init done (the vendor's init included) | 7.0 s |"), "\(text)")
        #expect(text.contains("| the tool's own part (all but init) | 8.0 s |"), "\(text)")
        #expect(!text.contains("tool-controlled"), "the span includes the vendor's init: not the tool's to control")
        #expect(text.contains("a\\|b&lt;c&gt;"), "pipes and angle brackets escaped in cells")
        #expect(text.contains("oms&lt;rm&gt;&amp;\"x'"))
        #expect(text.contains("outage 1: +3.00s to +13.00s = 10.0 s"))
        #expect(text.contains("stop-old") && text.contains("OUTAGE"))
        #expect(!text.contains(SyntheticRun.password) && !text.contains(SyntheticRun.envSecret))
        let fences = text.components(separatedBy: "```").count - 1
        #expect(fences == 2, "exactly one code block")
    }

    @Test("escaping: control characters never reach the page; Markdown stays on one line")
    func escaping() {
        #expect(ReportEscaping.html("a\u{0}b\u{1B}c") == "a\u{FFFD}b\u{FFFD}c")
        #expect(ReportEscaping.markdown("x\ny|z`*_") == "x y\\|z\\`\\*\\_")
        #expect(ReportEscaping.codeLine("a`b\nc") == "a'b c")
    }
}
