import Containers
import Foundation
import Testing

@testable import UpgradeEngine

/// The container steps' calls, on an in-memory engine: the new container is created while the old
/// one stops, so that the outage's start is a bare `docker start`.
@Suite("container steps")
struct ContainerStepsTests {
    static let oldID = String(repeating: "a", count: 64)

    static func oldContainer(running: Bool = true) -> ContainerDetails {
        ContainerDetails(
            id: oldID, name: "old", image: "old:3.2.2",
            state: ContainerState(status: running ? "running" : "exited", running: running))
    }

    /// Journals `step` as completed with `result`, as the runner does.
    static func complete(_ step: StepID, _ result: some StepResult, in context: RunContext) throws {
        try context.journal.append(.stepStarted, step: step)
        try context.journal.append(.stepCompleted, step: step, result: try JSONValue(encoding: result))
    }

    @Test("stop-old stops the old container and creates the new one; start-new only starts it")
    func createDuringStop() async throws {
        let bench = try RunnerBench()
        defer { bench.cleanup() }
        let engine = RecordingEngine([Self.oldContainer()])
        let context = try bench.context(engine: engine)

        let stopped = try await StopOldStep().perform(context, journal: context.journal.replayed)
        #expect(Set(engine.calls) == ["stop old", "create old_new"], "\(engine.calls)")
        let created = try #require(engine.container("old_new"))
        #expect(!created.state.running, "created, not started, in stop-old")
        #expect(created.labels[StartNewStep.runLabel] == context.directory.runID)
        #expect(stopped.nodes[""]?.newContainerID == created.id)
        #expect(stopped.nodes[""]?.oldContainerID == Self.oldID)
        try Self.complete(.stopOld, stopped, in: context)

        engine.clearCalls()
        let started = try await StartNewStep().perform(context, journal: context.journal.replayed)
        #expect(engine.calls == ["start old_new"], "start-new neither creates nor inspects: \(engine.calls)")
        #expect(started.nodes[""]?.newContainerID == created.id)
        #expect(engine.container("old_new")?.state.running == true)
    }

    @Test("a resumed stop-old finds the container it created and creates no other")
    func resumedStopOld() async throws {
        let bench = try RunnerBench()
        defer { bench.cleanup() }
        let engine = RecordingEngine([Self.oldContainer()])
        let context = try bench.context(engine: engine)
        let first = try await StopOldStep().perform(context, journal: context.journal.replayed)

        engine.clearCalls()
        let again = try await StopOldStep().perform(context, journal: context.journal.replayed)
        #expect(engine.calls == [], "the old one is stopped and the new one exists: \(engine.calls)")
        #expect(again.nodes[""]?.newContainerID == first.nodes[""]?.newContainerID)

        // start-new without stop-old's result (a journal of an older version) finds it by its label.
        let started = try await StartNewStep().perform(context, journal: context.journal.replayed)
        #expect(engine.calls == ["start old_new"], "\(engine.calls)")
        #expect(started.nodes[""]?.newContainerID == first.nodes[""]?.newContainerID)
    }

    @Test("a container of another origin holding the new name is refused before the old one stops")
    func nameTaken() async throws {
        let bench = try RunnerBench()
        defer { bench.cleanup() }
        let stranger = ContainerDetails(id: String(repeating: "b", count: 64), name: "old_new", image: "x")
        let engine = RecordingEngine([Self.oldContainer(), stranger])
        let context = try bench.context(engine: engine)
        let error = try await #require(throws: EngineError.self) {
            try await StopOldStep().perform(context, journal: context.journal.replayed)
        }
        #expect("\(error)".contains("a container named old_new already exists and was not created by this run"))
        #expect(engine.calls == [], "nothing stopped, nothing created: \(engine.calls)")
        #expect(engine.container("old")?.state.running == true)
    }

    @Test("rollback after stop-old: the created, never started container needs no stop; the old one starts")
    func rollbackCreatedContainer() async throws {
        let bench = try RunnerBench()
        defer { bench.cleanup() }
        let engine = RecordingEngine([Self.oldContainer()])
        let context = try bench.context(engine: engine)
        let stopped = try await StopOldStep().perform(context, journal: context.journal.replayed)
        try Self.complete(.stopOld, stopped, in: context)

        engine.clearCalls()
        let stopNew = try await RollbackStopNewStep().perform(context, journal: context.journal.replayed)
        #expect(stopNew.nodes[""]?.newContainerID == stopped.nodes[""]?.newContainerID, "found by its run label")
        _ = try await RollbackContainersStep().perform(context, journal: context.journal.replayed)
        #expect(engine.calls == ["start old"], "\(engine.calls)")
        #expect(engine.container("old_new")?.state.running == false, "kept, like a failed new container")
    }
}
