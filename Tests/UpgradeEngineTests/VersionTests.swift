import Foundation
import SandboxSupport
import Testing

/// `oms-upgrade --version`: the VERSION file's version, the commit and the build date.
@Suite("version")
struct VersionTests {
    @Test("--version prints VERSION, the git commit and the build date")
    func version() throws {
        let result = try CLI.run(["--version"])
        #expect(result.status == 0, "\(result)")
        let line = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let version = try String(contentsOf: Sandbox.repoRoot.appending(path: "VERSION"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let head = try Sandbox.runChecked("git", ["-C", Sandbox.repoRoot.path, "rev-parse", "--short=12", "HEAD"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.hasPrefix("\(version) (commit \(head)"), "\(line)")
        let pattern = #/^\S+ \(commit [0-9a-f]{12}(-dirty)?, built \d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?\)$/#
        #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
    }
}
