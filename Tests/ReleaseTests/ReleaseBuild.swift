import Foundation
import SandboxSupport

/// The release that `scripts/release.sh` builds, once per test process: the tarball, the rpm and the deb.
///
/// `OMS_RELEASE_TARBALL` names an already built tarball instead (CI can build once); the rpm and the
/// deb are then looked for beside it.
struct ReleaseBuild: Sendable {
    /// `dist/oms-upgrade-<version>-linux-<arch>.tar.gz`.
    let tarball: URL
    /// `oms-upgrade-<version>-linux-<arch>`, the tarball's top directory.
    var name: String { tarball.lastPathComponent.replacingOccurrences(of: ".tar.gz", with: "") }
    /// The directory the release was written to.
    var directory: URL { tarball.deletingLastPathComponent() }
    /// The tarball unpacked (once) under ``directory``/unpacked: `<name>/bin/oms-upgrade`, ...
    let unpacked: URL

    /// The package in ``directory`` whose name ends with `suffix` (`.rpm`, `.deb`).
    func package(endingWith suffix: String) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("oms-upgrade") && $0.hasSuffix(suffix) }
        guard names.count == 1 else {
            throw SandboxError("expected one oms-upgrade*\(suffix) in \(directory.path), found \(names)")
        }
        return directory.appending(path: names[0])
    }

    /// The VERSION file's version.
    static var version: String {
        get throws {
            try String(contentsOf: Sandbox.repoRoot.appending(path: "VERSION"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    private static let built: Result<ReleaseBuild, any Error> = Result { try build() }

    /// The release, built by the first caller.
    static func shared() throws -> ReleaseBuild { try built.get() }

    private static func build() throws -> ReleaseBuild {
        let tarball: URL
        if let given = ProcessInfo.processInfo.environment["OMS_RELEASE_TARBALL"], !given.isEmpty {
            tarball = URL(fileURLWithPath: given)
        } else {
            // Under the release's scratch directory, replaced by each run: a run leaves one release behind, not one per run.
            let output = Sandbox.repoRoot.appending(path: ".build-release/test-dist")
            try? FileManager.default.removeItem(at: output)
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            let script = Sandbox.scriptsDirectory.appending(path: "release.sh").path
            let result = try Sandbox.run("bash", [script, "--output-dir", output.path])
            guard result.status == 0, let last = result.stdout.split(whereSeparator: \.isNewline).last else {
                let tail = result.stderr.split(whereSeparator: \.isNewline).suffix(30).joined(separator: "\n")
                throw SandboxError("scripts/release.sh failed (status \(result.status)):\n\(tail)")
            }
            tarball = URL(fileURLWithPath: String(last))
        }
        let unpacked = Sandbox.repoRoot.appending(path: ".build-release/test-unpacked")
        try? FileManager.default.removeItem(at: unpacked)
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        try Sandbox.runChecked("tar", ["-xzf", tarball.path, "-C", unpacked.path])
        return ReleaseBuild(tarball: tarball, unpacked: unpacked)
    }
}
