import Foundation
import SandboxSupport
import Testing

/// The release's own C runtime stays the tool's: the programs it starts (the docker CLI, mysqldump)
/// run with the host's.
@Suite("release child environment", .integration, .tags(.mariadb, .docker))
struct ReleaseChildEnvironmentTests {
    @Test("the docker CLI the tool starts gets the host's libc and no trace of the bundled runtime")
    func dockerUsesTheHostsLibraries() throws {
        let release = try ReleaseBuild.shared()
        let tree = release.unpacked.appending(path: release.name)
        let work = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let probes = try ChildProbe(in: work, replacing: ["docker"], handOver: false)
        _ = try Sandbox.run(
            "env",
            probes.environment + [
                tree.appending(path: "bin/oms-upgrade").path, "plan", "--container", "no_such_oms", "--image",
                "oms:feature_3.3.0_ce", "--work-dir", work.appending(path: "runs").path, "--progress", "none",
            ])
        try probes.expectHostRuntime(release: tree)
    }

    @Test("mariadb-dump or mysqldump (--dumper mysqldump) runs with the host's libc and does its job")
    func mysqldumpUsesTheHostsLibraries() throws {
        let release = try ReleaseBuild.shared()
        let tree = release.unpacked.appending(path: release.name)
        let work = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let deployment = try Sandbox.deployFixture(heartbeatRows: 50, projectRows: 10)
        defer { try? deployment.remove() }
        let probes = try ChildProbe(in: work, replacing: ["mariadb-dump", "mysqldump"], handOver: true)
        let backup = try Sandbox.run(
            "env",
            probes.environment + [
                tree.appending(path: "bin/oms-upgrade").path, "backup", "--container", deployment.containerName,
                "--dumper", "mysqldump", "--out", work.appending(path: "backup").path, "--progress", "none",
            ])
        #expect(backup.status == 0, "backup with the host's mysqldump failed: \(backup.stderr)")
        try probes.expectHostRuntime(release: tree)
    }
}

/// A probe named like a program the tool starts, first on PATH: it records its environment, the C
/// library it mapped itself and the one its parent (the tool) mapped, then fails or hands over to the
/// real program.
struct ChildProbe {
    let directory: URL
    let record: URL

    init(in work: URL, replacing names: [String], handOver: Bool) throws {
        directory = work.appending(path: "probe")
        record = work.appending(path: "record")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in names {
            var ending = "exit 1"
            if handOver {
                let real = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
                    .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
                guard let real else { continue }
                ending = "exec '\(real)' \"$@\""
            }
            let probe = directory.appending(path: name)
            try """
            #!/bin/sh
            {
                env
                echo "self-libc: $(grep -F libc.so /proc/$$/maps | head -n 1)"
                echo "parent-libc: $(grep -F libc.so /proc/$PPID/maps | head -n 1)"
            } >> "$OMS_PROBE_RECORD"
            \(ending)
            """.write(to: probe, atomically: true, encoding: .utf8)
            try Sandbox.runChecked("chmod", ["0755", probe.path])
        }
    }

    /// `env` assignments that put the probe first on PATH and name its record.
    var environment: [String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return ["PATH=\(directory.path):\(path)", "OMS_PROBE_RECORD=\(record.path)"]
    }

    /// The probe ran, saw nothing of the release's runtime and mapped the host's libc; the tool the bundled one.
    func expectHostRuntime(release tree: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let recorded = try String(contentsOf: record, encoding: .utf8)
        let lines = recorded.split(whereSeparator: \.isNewline).map(String.init)
        for variable in ["LD_LIBRARY_PATH=", "LD_PRELOAD=", "OMS_UPGRADE_EXECUTABLE=", "MARIADB_PLUGIN_DIR="] {
            #expect(
                !lines.contains { $0.hasPrefix(variable) }, "\(variable) reached the child:\n\(recorded)",
                sourceLocation: sourceLocation)
        }
        let environment = lines.filter { !$0.hasPrefix("self-libc:") && !$0.hasPrefix("parent-libc:") }
        #expect(
            !environment.contains { $0.contains("\(tree.path)/lib") }, "the bundled lib/ reached the child",
            sourceLocation: sourceLocation)
        let own = lines.filter { $0.hasPrefix("self-libc:") }
        #expect(!own.isEmpty, "the probe did not run", sourceLocation: sourceLocation)
        for line in own {
            #expect(
                line.contains("libc.so") && !line.contains(tree.path), "the child mapped the bundled libc: \(line)",
                sourceLocation: sourceLocation)
        }
        for line in lines where line.hasPrefix("parent-libc:") {
            #expect(
                line.contains("\(tree.path)/lib/libc.so.6"), "the tool does not run on the bundled libc: \(line)",
                sourceLocation: sourceLocation)
        }
    }
}
