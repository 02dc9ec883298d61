import Foundation
import SandboxSupport
import Testing

/// `--help`, `-h`, `help`, `help <subcommand>`, `<subcommand> --help` and `--version` of the release
/// build's binary itself (the optimized build), through its launcher and started directly.
///
/// Tagged like the other release suites: it builds the release (minutes), which no unit test run should.
@Suite("release binary help", .integration, .tags(.docker))
struct ReleaseHelpTests {
    @Test("every help and --version answer with exit 0, through the launcher and from libexec directly")
    func help() throws {
        let release = try ReleaseBuild.shared()
        let tree = release.unpacked.appending(path: release.name)
        for tool in ["bin/oms-upgrade", "libexec/oms-upgrade"] {
            let words = ReleaseInvocations.all(version: "").map { $0.arguments.joined(separator: " ") }
            let result = try Sandbox.run(
                "sh", ["-c", ReleaseInvocations.shellScript, "sh", tree.appending(path: tool).path] + words)
            let outcomes = ReleaseInvocations.parse(result.stdout)
            let problems = ReleaseInvocations.problems(in: outcomes, version: try ReleaseBuild.version)
            #expect(problems.isEmpty, "\(tool):\n\(problems.joined(separator: "\n"))")
        }
    }
}
