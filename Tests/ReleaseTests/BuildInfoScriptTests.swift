import Foundation
import SandboxSupport
import Testing

/// `scripts/build-info.sh`, which the BuildInfoPlugin runs before every build.
@Suite("build info script")
struct BuildInfoScriptTests {
    private var script: String { Sandbox.scriptsDirectory.appending(path: "build-info.sh").path }

    /// Runs the script with `root` holding `version` and returns (status, stderr, generated file).
    private func generate(version: String, environment: [String: String]) throws -> (Int32, String, String?) {
        let root = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try version.write(to: root.appending(path: "VERSION"), atomically: true, encoding: .utf8)
        let output = root.appending(path: "out")
        let assignments = environment.map { "\($0.key)=\($0.value)" }
        let result = try Sandbox.run("env", assignments + ["sh", script, root.path, output.path])
        let file = try? String(contentsOf: output.appending(path: "BuildInfo.swift"), encoding: .utf8)
        return (result.status, result.stderr, file)
    }

    @Test("VERSION, the pinned commit and date land in BuildInfo.swift")
    func pinned() throws {
        let (status, stderr, file) = try generate(
            version: "1.2.3-rc.1\n",
            environment: ["OMS_BUILD_COMMIT": "0123456789ab", "OMS_BUILD_DATE": "2026-01-31T12:00:00Z"])
        #expect(status == 0, "\(stderr)")
        let text = try #require(file)
        #expect(text.contains(#"public static let version = "1.2.3-rc.1""#))
        #expect(text.contains(#"public static let commit = "0123456789ab""#))
        #expect(text.contains(#"public static let date = "2026-01-31T12:00:00Z""#))
    }

    @Test("SOURCE_DATE_EPOCH sets the date; outside git the commit is unknown")
    func sourceDateEpoch() throws {
        let (status, stderr, file) = try generate(version: "2.0.0", environment: ["SOURCE_DATE_EPOCH": "1767225600"])
        #expect(status == 0, "\(stderr)")
        let text = try #require(file)
        #expect(text.contains(#"public static let date = "2026-01-01T00:00:00Z""#))
        #expect(text.contains(#"public static let commit = "unknown""#))
    }

    @Test("a VERSION that could become code is refused with a message naming the file")
    func hostileVersion() throws {
        for bad in ["1.0\"; fatalError(); let x = \"", "", "1.0 beta"] {
            let (status, stderr, file) = try generate(version: bad, environment: [:])
            #expect(status != 0, "accepted \(bad)")
            #expect(stderr.contains("VERSION must hold one version"), "\(stderr)")
            #expect(file == nil)
        }
        let (status, stderr, _) = try generate(version: "1.0.0", environment: ["OMS_BUILD_COMMIT": "$(reboot)"])
        #expect(status != 0)
        #expect(stderr.contains("OMS_BUILD_COMMIT"), "\(stderr)")
    }
}
