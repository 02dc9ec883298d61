import Foundation
import Testing

@testable import UpgradeEngine

/// The work directory is never chmod'ed, symlinks planted in it are refused (issue 8 item 6).
@Suite("work directory")
struct WorkDirectoryTests {
    private func directory(mode: Int) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "wd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        chmod(url.path, mode_t(mode))
        return url
    }

    private func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("an existing shared directory (like /tmp, 1777) keeps its mode; the runs go to a private runs/")
    func existingDirectoryUntouched() throws {
        let shared = try directory(mode: 0o1777)
        defer { try? FileManager.default.removeItem(at: shared) }
        #expect(WorkDirectory.writabilityProblem(shared) == nil)
        #expect(try mode(shared) == 0o1777)
        try RunDirectory(workDir: shared, runID: "20261129-000000-x").create()
        #expect(try mode(shared) == 0o1777, "the work directory is never chmod'ed")
        #expect(try mode(shared.appending(path: "runs")) == 0o700)
        #expect(try mode(shared.appending(path: "runs/20261129-000000-x")) == 0o700)
    }

    @Test("a symlink planted as runs/ is refused, and its target is left alone")
    func plantedSymlinkRefused() throws {
        let workDir = try directory(mode: 0o755)
        let elsewhere = try directory(mode: 0o755)
        defer {
            try? FileManager.default.removeItem(at: workDir)
            try? FileManager.default.removeItem(at: elsewhere)
        }
        try FileManager.default.createSymbolicLink(at: workDir.appending(path: "runs"), withDestinationURL: elsewhere)
        #expect(WorkDirectory.writabilityProblem(workDir) != nil)
        #expect(throws: EngineError.self) { try RunDirectory(workDir: workDir, runID: "r1").create() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
        #expect(try mode(elsewhere) == 0o755)
    }

    @Test("a work directory owned by another user is refused")
    func otherOwnerRefused() throws {
        try #require(geteuid() == 0, "this test changes a directory's owner and needs root, as the sandbox runs")
        let workDir = try directory(mode: 0o700)
        defer { try? FileManager.default.removeItem(at: workDir) }
        chown(workDir.path, 65534, 65534)
        #expect(WorkDirectory.writabilityProblem(workDir)?.contains("another user") == true)
        #expect(throws: EngineError.self) { try WorkDirectory.prepare(workDir) }
    }
}
