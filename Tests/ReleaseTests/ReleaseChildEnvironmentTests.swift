import Foundation
import SandboxSupport
import Testing

/// The release's own C runtime stays the tool's: the programs it starts run with the host's.
///
/// A probe named `docker`, first on PATH, records its environment, the C library it mapped itself
/// and the one its parent (the tool) mapped, then hands over to the real docker CLI.
@Suite("release child environment", .integration, .tags(.docker))
struct ReleaseChildEnvironmentTests {
    @Test("the docker CLI the tool starts gets the host's libc and no trace of the bundled runtime")
    func childrenUseTheHostsLibraries() throws {
        let release = try ReleaseBuild.shared()
        let tree = release.unpacked.appending(path: release.name)
        let work = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let probeDirectory = work.appending(path: "probe")
        try FileManager.default.createDirectory(at: probeDirectory, withIntermediateDirectories: true)
        let record = work.appending(path: "record")
        let probe = probeDirectory.appending(path: "docker")
        try """
        #!/bin/sh
        {
            env
            echo "self-libc: $(grep -F libc.so /proc/$$/maps | head -n 1)"
            echo "parent-libc: $(grep -F libc.so /proc/$PPID/maps | head -n 1)"
        } > "$OMS_PROBE_RECORD"
        exit 1
        """.write(to: probe, atomically: true, encoding: .utf8)
        try Sandbox.runChecked("chmod", ["0755", probe.path])

        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        _ = try Sandbox.run(
            "env",
            [
                "PATH=\(probeDirectory.path):\(path)", "OMS_PROBE_RECORD=\(record.path)",
                tree.appending(path: "bin/oms-upgrade").path, "plan", "--container", "no_such_oms", "--image",
                "oms:feature_3.3.0_ce", "--work-dir", work.appending(path: "runs").path, "--progress", "none",
            ])
        let recorded = try String(contentsOf: record, encoding: .utf8)
        let lines = recorded.split(whereSeparator: \.isNewline).map(String.init)
        for variable in ["LD_LIBRARY_PATH=", "LD_PRELOAD=", "OMS_UPGRADE_EXECUTABLE=", "MARIADB_PLUGIN_DIR="] {
            #expect(!lines.contains { $0.hasPrefix(variable) }, "\(variable) reached the docker CLI:\n\(recorded)")
        }
        let environment = lines.filter { !$0.hasPrefix("self-libc:") && !$0.hasPrefix("parent-libc:") }
        #expect(
            !environment.contains { $0.contains("\(tree.path)/lib") }, "the bundled lib/ reached the docker CLI")
        let own = try #require(lines.first { $0.hasPrefix("self-libc:") })
        #expect(own.contains("libc.so") && !own.contains(tree.path), "the child mapped the bundled libc: \(own)")
        let tool = try #require(lines.first { $0.hasPrefix("parent-libc:") })
        #expect(tool.contains("\(tree.path)/lib/libc.so.6"), "the tool does not run on the bundled libc: \(tool)")
    }
}
