import Foundation
import SandboxSupport
import Testing

/// `oms-upgrade report` on real runs, and the HTML rendered by a real browser.
@Suite("report command", .integration, .tags(.mariadb, .docker))
struct ReportCommandTests {
    @Test(
        "report of a real apply: outage and every step in the HTML, rendered by headless Chromium; Markdown; no secret"
    )
    func reportOfRealApply() throws {
        let scenario = try UpgradeScenario(heartbeatRows: 3000)
        defer { scenario.cleanup() }
        let apply = try scenario.apply()
        try #require(apply.status == 0, "\(apply)")
        let output = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let html = output.appending(path: "report.html")
        let markdown = output.appending(path: "report.md")

        let result = try CLI.run([
            "report", "--work-dir", scenario.workDir.path, "--html", html.path,
            "--markdown", markdown.path,
        ])
        #expect(result.status == 0, "\(result)")
        for file in [html, markdown] {
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file.lastPathComponent) is 0600")
        }
        let page = try String(contentsOf: html, encoding: .utf8)
        let text = try String(contentsOf: markdown, encoding: .utf8)
        let password = try Sandbox.mysql().password
        #expect(!page.contains(password) && !text.contains(password), "the report holds no password")
        #expect(!page.contains("<script") && !page.contains("<link") && !page.contains(" src="), "self-contained")
        let steps = scenario.journal().filter { $0["event"] as? String == "step-started" }.compactMap {
            $0["step"] as? String
        }
        #expect(steps.contains("stop-old") && steps.contains("health"))
        #expect(page.contains(scenario.deployment.rmDatabase), "the report names the deployment's databases")
        #expect(page.contains(">same<"), "unchanged tables compare equal with the backup's manifest")
        #expect(text.contains("**Outage**") && text.contains("stop-old"))

        let status = try scenario.status()
        let downtime = try #require(status["downtimeSeconds"] as? Double)

        let dom = try HeadlessChromium.dumpDOM(html)
        for step in steps {
            #expect(dom.contains("data-step=\"\(step)\""), "step \(step) is on the rendered timeline")
        }
        #expect(dom.contains("OUTAGE "), "the outage is labelled on the rendered chart")
        let figure = try #require(
            dom.firstMatch(of: /id="outage-figure">([0-9.]+) s</), "the outage figure is in the DOM")
        let shown = try #require(Double(figure.1))
        #expect(abs(shown - downtime) < 0.06, "the figure (\(shown) s) is the run's downtime (\(downtime) s)")

        let png = output.appending(path: "report.png")
        try HeadlessChromium.screenshot(html, to: png)
        let data = try Data(contentsOf: png)
        let size = try #require(pngSize(data), "the screenshot is a PNG")
        #expect(size.width == 1280 && size.height == 2000)
        #expect(data.count > 60_000, "the screenshot is not a blank page (\(data.count) bytes)")
        if let keep = ProcessInfo.processInfo.environment["OMS_REPORT_SCREENSHOT_DIR"] {
            try? FileManager.default.removeItem(atPath: keep + "/report.png")
            try? FileManager.default.copyItem(atPath: png.path, toPath: keep + "/report.png")
            try? FileManager.default.removeItem(atPath: keep + "/report.html")
            try? FileManager.default.copyItem(atPath: html.path, toPath: keep + "/report.html")
        }
    }

    @Test("report of a rolled-back run: two outages, the rollback's steps, the quarantine in what rollback would do")
    func reportOfRollback() throws {
        let scenario = try UpgradeScenario()
        defer { scenario.cleanup() }
        try #require(try scenario.apply().status == 0)
        try #require(try scenario.rollback().status == 0)
        let result = try CLI.run(["report", "--work-dir", scenario.workDir.path, "--format", "markdown", "--offline"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("outage 2:"), "the rollback is a second outage\n\(result.stdout)")
        #expect(result.stdout.contains("rollback-data") && result.stdout.contains("rolled-back"))
        #expect(result.stdout.contains("Nothing: the run was already rolled back"))
        #expect(result.stdout.contains("not computed (--offline)"))
    }

    @Test("bad input: no run, a run id that is a path, an unknown run: one message with the remedy, exit 1")
    func badInput() throws {
        let empty = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        let none = try CLI.run(["report", "--work-dir", empty.path])
        #expect(none.status == 1 && none.stderr.contains("There is no upgrade run in"), "\(none)")
        let unknown = try CLI.run(["report", "--work-dir", empty.path, "--run", "../etc"])
        #expect(unknown.status == 1 && unknown.stderr.contains("is not a run directory name"), "\(unknown)")
        let missing = try CLI.run(["report", "--work-dir", empty.path, "--run", "20260101-000000-x"])
        #expect(missing.status == 1 && missing.stderr.contains("There is no run 20260101-000000-x"), "\(missing)")
        #expect(missing.stdout.isEmpty)
    }
}
