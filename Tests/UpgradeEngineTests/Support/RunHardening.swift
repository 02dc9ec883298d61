import Testing

/// The integration tests of the run-hardening items (issue 8), one test at a time.
///
/// Each of them blocks a thread of the small cooperative pool while the real tool runs (CLI.run
/// waits for the process): running them side by side starved the async tests of other suites.
@Suite("run hardening", .serialized, .integration, .tags(.mariadb, .docker))
struct RunHardening {}
