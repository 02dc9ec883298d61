import Foundation
import MetaDB
import MetaDump
import Testing

/// Option files holding the password live in one private directory and never outlive their process (issue 8 item 7).
@Suite("defaults file cleanup", .serialized)
struct DefaultsFileCleanupTests {
    private func options() -> ConnectionOptions {
        ConnectionOptions(host: "127.0.0.1", port: 3306, user: "nobody", password: Secret("not-a-real-password"))
    }

    @Test("a file left by a killed process is swept when the next one is made; live files are removed on demand")
    func staleSweptAndLiveRemoved() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "cnf-\(UUID().uuidString)").path
        let previous = DefaultsFile.directory
        DefaultsFile.useDirectory(directory)
        defer {
            DefaultsFile.useDirectory(previous)
            try? FileManager.default.removeItem(atPath: directory)
        }
        mkdir(directory, 0o700)
        // No process has pid 4194303 (above the usual pid_max) and 2^22-1 is the Linux maximum.
        let stale = directory + "/client-4194303-1.cnf"
        FileManager.default.createFile(
            atPath: stale, contents: Data("[client]\npassword=x\n".utf8),
            attributes: [.posixPermissions: 0o600])

        let file = try DefaultsFile(server: options())
        #expect(!FileManager.default.fileExists(atPath: stale), "the dead process's file is swept")
        #expect(file.path.hasPrefix(directory + "/"))
        let attributes = try FileManager.default.attributesOfItem(atPath: directory)
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o700)
        DefaultsFile.removeAllLive()
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test("a directory open to others or a symlink is refused, never used")
    func unsafeDirectoryRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "cnf-\(UUID().uuidString)").path
        let previous = DefaultsFile.directory
        DefaultsFile.useDirectory(directory)
        defer {
            DefaultsFile.useDirectory(previous)
            try? FileManager.default.removeItem(atPath: directory)
        }
        mkdir(directory, 0o777)
        chmod(directory, 0o777)
        #expect(throws: MetaDumpError.self) { try DefaultsFile(server: options()) }
    }
}
