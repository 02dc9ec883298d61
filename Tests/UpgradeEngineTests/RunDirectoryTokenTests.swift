import Foundation
import Testing

@testable import UpgradeEngine

/// Snapshot labels come from the run's short token, which must be the same in every process.
@Suite("run directory tokens")
struct RunDirectoryTokenTests {
    @Test("a run id without a timestamp gets a token that is the same in every process (never hashValue)")
    func stableTokenForUntimedRunID() {
        let run = RunDirectory(workDir: URL(fileURLWithPath: "/tmp/w"), runID: "my-own-run")
        // FNV-1a of "my-own-run" modulo 36^6, in base 36: fixed, so a per-process seeded hash cannot match it.
        #expect(run.shortToken == "z3opoy")
    }

    @Test("a timestamped run id gets its start second in base 36")
    func timestampToken() {
        let run = RunDirectory(workDir: URL(fileURLWithPath: "/tmp/w"), runID: "20261126-081502-oms_322")
        #expect(run.shortToken == String(Int(1_795_680_902), radix: 36))
    }
}
