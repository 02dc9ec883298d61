// Temporary: steps whose data and health parts land with MetaDump and HealthProbe.
struct PrePruneStep: RunStep { let id = StepID.prePrune
    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] { [:] } }
struct PruneStep: RunStep { let id = StepID.prune
    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] { [:] } }
struct SnapshotStep: RunStep { let id = StepID.snapshot
    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] { [:] } }
struct RollbackDataStep: RunStep { let id = StepID.rollbackData
    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String] { [:] } }
enum SnapshotOperations {
    static func restoreAndRetake(_ context: RunContext) async throws {}
}
