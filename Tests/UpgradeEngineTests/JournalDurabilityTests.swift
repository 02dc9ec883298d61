import Foundation
import SandboxSupport
import Testing

@testable import UpgradeEngine

/// Journal and run-file durability (issue 8 item 13) and typed facts (issue 10): torn tails are
/// cut before the next append, damage in the middle is refused, plan.json is replaced atomically.
@Suite("journal durability")
struct JournalDurabilityTests {
    @Test("a torn tail is cut before the next append: the new entry gets a line of its own")
    func tornTailTruncatedBeforeAppend() throws {
        let url = try JournalFiles.freshURL()
        let journal = try Journal(url: url)
        try journal.append(.runStarted)
        try journal.append(.stepStarted, step: .prune)
        try JournalFiles.appendRaw("{\"event\":\"step-compl", to: url)

        let reopened = try Journal(url: url)
        try reopened.append(.stepCompleted, step: .prune, facts: [.rowsDeleted: "3"])
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(!text.contains("step-compl\""), "the torn fragment is gone: \(text)")
        #expect(text.split(separator: "\n").count == 3)
        let state = try Journal(url: url).replayed
        #expect(state.record(.prune).progress == .completed)
        #expect(state.record(.prune)[.rowsDeleted] == "3")
    }

    @Test("a reader (status) never changes the file, even with a torn tail")
    func readerLeavesTornTail() throws {
        let url = try JournalFiles.freshURL()
        try Journal(url: url).append(.runStarted)
        try JournalFiles.appendRaw("{\"ev", to: url)
        let before = try Data(contentsOf: url)
        _ = try Journal(url: url).replayed
        #expect(try Data(contentsOf: url) == before)
    }

    @Test("an unreadable line in the middle is refused with the file and the line number")
    func badMiddleLineRefused() throws {
        let url = try JournalFiles.freshURL()
        let journal = try Journal(url: url)
        try journal.append(.runStarted)
        try journal.append(.stepStarted, step: .prePrune)
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.insert("{\"event\":\"no-such-event\",\"sequence\":9}", at: 1)
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)

        let error = #expect(throws: EngineError.self) { try Journal(url: url) }
        let text = String(describing: try #require(error))
        #expect(text.contains(url.path), "\(text)")
        #expect(text.contains("line 2"), "\(text)")
    }

    @Test("a repeated note: the newest snapshot generation wins, the first haOriginal stays")
    func repeatedNotes() throws {
        let journal = try Journal(url: try JournalFiles.freshURL())
        try journal.append(.runStarted)
        try journal.append(.note, step: .haOff, facts: [.haOriginal: "{\"enable\":true}"])
        try journal.append(.note, step: .haOff, facts: [.haOriginal: "{\"enable\":false}"])
        for generation in 2...5 {
            try journal.append(.stepStarted, step: .initSchema)
            try journal.append(.note, step: .initSchema, facts: [.snapshotGeneration: String(generation)])
            try journal.append(.stepFailed, step: .initSchema, message: "init failed")
        }
        let state = journal.replayed
        #expect(state.record(.initSchema)[.snapshotGeneration] == "5")
        #expect(state.record(.haOff)[.haOriginal] == "{\"enable\":true}")
    }

    @Test("every fact key is its own journal name, and the facts helper writes those names")
    func typedFacts() {
        for fact in JournalFact.allCases { #expect(fact.rawValue == "\(fact)") }
        #expect(JournalFact.facts([.haOriginal: "x"]) == ["haOriginal": "x"])
        #expect(JournalFact.allCases.filter(\.keepsFirstValue) == [.haOriginal])
    }

    @Test("plan.json replaces a planted symlink instead of writing through it, mode 0600, no temp file left")
    func planWrittenAtomically() throws {
        let workDir = try Sandbox.makePrivateTempDirectory()
        let victim = workDir.appending(path: "victim.txt")
        try Data("keep me".utf8).write(to: victim)
        let plan = UpgradePlan.sample(workDir: workDir.path)
        let runID = "20261129-000000-old"
        let directory = RunDirectory(workDir: workDir, runID: runID)
        try directory.create()
        try FileManager.default.createSymbolicLink(at: directory.planURL, withDestinationURL: victim)

        let run = try RunStore.create(plan: plan, runID: runID)
        #expect(try String(contentsOf: victim, encoding: .utf8) == "keep me")
        let attributes = try FileManager.default.attributesOfItem(atPath: run.directory.planURL.path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(leftovers.sorted() == ["journal.jsonl", "plan.json"], "\(leftovers)")
    }

    @Test("a plan.json that cannot be written fails the run's creation instead of being skipped")
    func planWriteFailureReported() throws {
        let workDir = try Sandbox.makePrivateTempDirectory()
        let runID = "20261129-000001-old"
        let directory = RunDirectory(workDir: workDir, runID: runID)
        try directory.create()
        try FileManager.default.createDirectory(
            at: directory.planURL.appending(path: "blocker"),
            withIntermediateDirectories: true)
        let plan = UpgradePlan.sample(workDir: workDir.path)
        #expect(throws: EngineError.self) { try RunStore.create(plan: plan, runID: runID) }
    }
}
