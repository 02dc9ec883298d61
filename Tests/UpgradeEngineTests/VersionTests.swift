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
        #expect(line.hasPrefix("\(version) (commit "), "\(line)")
        // The commit is a real one of this repository's history (HEAD when built; HEAD may have moved since).
        let commit = try #require(line.firstMatch(of: #/commit ([0-9a-f]{12})/#)?.output.1, "\(line)")
        let known = try Sandbox.run(
            "git",
            [
                "-C", Sandbox.repoRoot.path, "merge-base", "--is-ancestor",
                String(commit), "HEAD",
            ])
        #expect(known.status == 0, "\(commit) is not in HEAD's history: \(known.stderr)")
        let pattern = #/^\S+ \(commit [0-9a-f]{12}(-dirty)?, built \d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?\)$/#
        #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
    }
}
