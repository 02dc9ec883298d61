import Containers
import Foundation
import Logging
import Testing

@testable import UpgradeEngine
@testable import UpgradeReport

/// A multi-node run's report draws one lane per node, from the per-node records the steps journal.
@Suite("report lanes of a multi-node run")
struct NodeLanesTests {
    /// A node on an engine that is never called.
    static func node(_ ip: String) -> RunNode {
        RunNode(
            ip: ip, engine: DockerCLI(context: nil, host: "unix:///nonexistent.sock", logger: Logger(label: "test")),
            oldName: "oms", oldContainerID: "oms-id", oldContainerSpec: ContainerRunSpec(name: "oms", image: "oms:1"),
            newContainer: ContainerRunSpec(name: "oms_new", image: "oms:2"), renameOldTo: nil,
            consoleURL: "http://\(ip):8089", newConsoleURL: "http://\(ip):8089", runsInit: true)
    }

    /// A two-region run (one node per region) journaled by the production code: the fanned-out steps
    /// run through ``NodeFanOut`` (which records every node's part), init records its nodes one
    /// after the other as ``InitStep`` does, and each step's result is journaled as the runner does.
    static func twoRegionEntries() async throws -> [JournalEntry] {
        let directory = FileManager.default.temporaryDirectory.appending(path: "lanes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = try Journal(url: directory.appending(path: "journal.jsonl"))
        let nodes = ["10.0.0.7", "10.0.1.9"].map(Self.node)
        try journal.append(.runStarted)
        for step in StepID.upgradeSequence {
            try journal.append(.stepStarted, step: step)
            let recorder = NodeRecorder(journal: journal, step: step, log: nil)
            var result = JSONValue.object([:])
            switch step {
            case .stopOld:
                result = try JSONValue(
                    encoding: try await NodeFanOut.run(nodes, recording: recorder) { node in
                        StopOldNode(oldContainerID: "old-\(node.ip ?? "")")
                    })
            case .startNew:
                result = try JSONValue(
                    encoding: try await NodeFanOut.run(nodes, recording: recorder) { node in
                        StartNewNode(newContainerID: "new-\(node.ip ?? "")", oldRenamedTo: nil)
                    })
            case .initSchema:
                for node in nodes {
                    recorder.record(.nodeStarted, node: node.ip)
                    recorder.record(.nodeCompleted, node: node.ip)
                }
                result = try JSONValue(encoding: InitResult(exitCode: 0, nodes: nodes.compactMap(\.ip)))
            case .health:
                result = try JSONValue(
                    encoding: try await NodeFanOut.run(nodes, recording: recorder) { node in
                        HealthNode(healthURL: "\(node.newConsoleURL)/oms/health")
                    })
            default:
                break
            }
            try journal.append(.stepCompleted, step: step, result: result)
        }
        try journal.append(.upgradeFinished)
        return try Journal(url: directory.appending(path: "journal.jsonl")).entries
    }

    @Test("a two-region run: both nodes get a lane in the timeline, the HTML and the Markdown report")
    func bothNodesHaveLanes() async throws {
        let entries = try await Self.twoRegionEntries()
        #expect(entries.contains { $0.event == .nodeCompleted && $0.node == "10.0.1.9" })
        let timeline = ReportTimeline(entries: entries)
        #expect(timeline.lanes == ["", "10.0.0.7", "10.0.1.9"], "\(timeline.lanes)")
        for node in ["10.0.0.7", "10.0.1.9"] {
            let steps = timeline.spans.filter { $0.lane == node }.map(\.step)
            #expect(steps == ["stop-old", "start-new", "init", "health"], "\(node): \(steps)")
            #expect(timeline.spans.filter { $0.lane == node }.allSatisfy { $0.phase == .outage })
        }
        #expect(timeline.outages.count == 1, "node parts do not split the outage: \(timeline.outages)")

        var run = SyntheticRun()
        run.entries = entries
        let model = run.model()
        let html = HTMLReport(model: model).render()
        #expect(html.contains(">node 10.0.0.7<") && html.contains(">node 10.0.1.9<"), "an SVG lane per node")
        #expect(html.contains("<td>10.0.1.9</td>"), "the steps table names the node")
        let markdown = MarkdownReport(model: model).render()
        #expect(markdown.contains("-- node 10.0.0.7 --") && markdown.contains("-- node 10.0.1.9 --"), "\(markdown)")
        #expect(markdown.contains("-- deployment (every node) --"))
    }

    @Test("a node's part that fails is drawn failed in its lane, with its message")
    func failedNode() {
        var run = SyntheticRun()
        run.add(0, .runStarted)
        run.add(1, .stepStarted, .health)
        run.entries.append(
            JournalEntry(
                sequence: 3, time: SyntheticRun.start.addingTimeInterval(1), event: .nodeStarted, step: .health,
                node: "b"))
        run.entries.append(
            JournalEntry(
                sequence: 4, time: SyntheticRun.start.addingTimeInterval(5), event: .nodeFailed, step: .health,
                message: "not healthy in 5 s", node: "b"))
        run.add(5, .stepFailed, .health, message: "node b: not healthy")
        let span = ReportTimeline(entries: run.entries).spans.first { $0.lane == "b" }
        #expect(span?.outcome == .failed && span?.message == "not healthy in 5 s" && span?.duration == 4)
    }
}

/// The report puts the outage's estimate and what the run measured side by side, part by part.
@Suite("report outage estimate")
struct ReportOutageEstimateTests {
    @Test("estimate and measured per part in HTML and Markdown; the unknown init says so")
    func sideBySide() {
        var run = SyntheticRun.upgraded()
        var plan = SyntheticRun.plan()
        plan.outageEstimate = OutageEstimator(stopTimeout: 60).estimate(
            .init(engine: 0.1, meta: 0.001, ddl: 0.01, tables: 10), madeAt: "before the stop")
        run.entries = SyntheticRun.upgraded().entries
        let model = ReportModel(
            runID: "r", runDirectory: "/work/runs/r", plan: plan, entries: run.entries, manifest: nil, after: nil,
            afterSource: "not computed", logLines: [])
        #expect(
            model.outageParts.map(\.title)
                == OutageEstimate.Part.allCases.map(\.title) + ["the tool's own part (all but init)"])
        let own = model.outageParts.last
        let measuredOwn = model.outageParts.dropLast().filter { $0.title != OutageEstimate.Part.initScript.title }
            .compactMap(\.measured).reduce(0, +)
        #expect(
            own?.estimate == plan.outageEstimate?.toolSeconds && own?.measured == measuredOwn,
            "\(String(describing: own))")
        #expect(
            own?.basis.contains(String(format: "estimated %.2f× of measured", (own?.estimate ?? 0) / measuredOwn))
                == true)
        let stop = model.outageParts.first { $0.title == OutageEstimate.Part.stop.title }
        #expect(stop?.measured == 1 && stop?.estimate.map { abs($0 - 0.15) < 1e-9 } == true)
        let initPart = model.outageParts.first { $0.title == OutageEstimate.Part.initScript.title }
        #expect(initPart?.estimate == nil && initPart?.measured == 2)
        let markdown = MarkdownReport(model: model).render()
        #expect(markdown.contains("## Outage: estimated (before the stop) and measured"), "\(markdown)")
        #expect(markdown.contains("| stop the old container | 0.15 s | 1.00 s |"), "\(markdown)")
        #expect(markdown.contains(#"| docker\_init.sh (the vendor's) | unknown | 2.00 s |"#), "\(markdown)")
        let html = HTMLReport(model: model).render()
        #expect(html.contains("id=\"outage-parts\"") && html.contains("<td class=\"num\">0.15 s</td>"))
    }
    @Test("where the new OMS logged its start, the last row is the tool's work: its own part less that start-up")
    func toolWork() throws {
        var run = SyntheticRun.upgraded()
        // The init ends at 10 s, health at 13 s; the new OMS said it started at 12.5 s: 2.5 s of the 3 s wait.
        let said = HealthNode.format(SyntheticRun.start.addingTimeInterval(12.5))
        let health = try JSONValue(encoding: HealthResult(nodes: ["": HealthNode(healthURL: nil, saidStartedAt: said)]))
        let index = try #require(run.entries.firstIndex { $0.step == .health && $0.event == .stepCompleted })
        run.entries[index].result = health
        var plan = SyntheticRun.plan()
        let oldStart = OutageEstimator.OldStart(seconds: 0.4, afterInit: true)
        plan.outageEstimate = OutageEstimator(stopTimeout: 60).estimate(
            .init(engine: 0.1, meta: 0.001, ddl: 0.01, tables: 10, oldStart: oldStart), madeAt: "before the stop")
        let estimate = try #require(plan.outageEstimate)
        #expect(abs(estimate.toolWorkSeconds - (estimate.toolSeconds - 0.4)) < 1e-9)
        let model = ReportModel(
            runID: "r", runDirectory: "/work/runs/r", plan: plan, entries: run.entries, manifest: nil, after: nil,
            afterSource: "not computed", logLines: [])
        let work = try #require(model.outageParts.last)
        #expect(work.title == "the tool's work (all but init and the new OMS's start-up)")
        // Own part: stop 1 + catch-up 0.5 + prune 1.5 + start 2 + health 3 = 8 s; less 2.5 s.
        #expect(work.measured.map { abs($0 - 5.5) < 0.01 } == true, "\(work)")
        #expect(work.estimate == estimate.toolWorkSeconds)
        #expect(model.newOMSStartupSeconds.map { abs($0 - 2.5) < 0.01 } == true)
        let markdown = MarkdownReport(model: model).render()
        #expect(markdown.contains("| the tool's work (all but init and the new OMS's start-up) |"), "\(markdown)")
        #expect(markdown.contains("the new OMS's start-up after init, 2.5 s) | 5.5 s |"), "\(markdown)")
    }
}
