import Foundation
import Testing

@testable import UpgradeEngine

/// The lock file's account of its holder, which lets a resume right after a kill wait for the
/// server to free the dead process's lock instead of refusing.
@Suite("lock file holder")
struct LockFileTests {
    @Test("a holder of this host whose process is gone is gone; a live one or another host's is not")
    func holderIsGone() throws {
        let child = Process()
        child.executableURL = URL(filePath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        var file = LockFile.current(runID: "r", command: "apply")
        #expect(!file.holderIsGone)
        file.pid = child.processIdentifier
        #expect(file.holderIsGone)
        file.host = "some-other-host.invalid"
        #expect(!file.holderIsGone)
    }
}
