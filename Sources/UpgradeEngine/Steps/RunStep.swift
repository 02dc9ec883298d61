/// One idempotent step of an upgrade or a rollback.
///
/// `perform` may be called again after a crash at any point inside it: it must notice what an
/// earlier attempt already did (through the journal record and the live state) and finish the
/// job rather than redo it blindly. What it returns is journaled as the step's facts.
protocol RunStep: Sendable {
    var id: StepID { get }
    func perform(_ context: RunContext, journal state: JournalState) async throws -> [String: String]
}
