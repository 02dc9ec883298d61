import Testing

/// The integration tests of the run-hardening items (issue 8), one test at a time.
///
/// Each drives the real tool through signals, kills, lock thefts and repeated failures, whose
/// timing other load skews. (They were first serialized because their blocking waits starved
/// other suites of the cooperative pool; `.integration` now keeps those waits off it.)
@Suite("run hardening", .serialized, .integration, .tags(.mariadb, .docker))
struct RunHardening {}
