import Foundation
import MetaDB
import MetaDump
import Testing

/// Option files holding the password live in one private directory and never outlive their process (issue 8 item 7).
@Suite("defaults file cleanup", .serialized)
struct DefaultsFileCleanupTests {
    /// How the private directory is made unsafe before a defaults file is asked for.
    enum UnsafeDirectory: String, CaseIterable, CustomTestStringConvertible {
        case openToOthers = "a directory open to others"
        case symlink = "a symlink to a private directory"

        var testDescription: String { rawValue }
    }

    private func options() -> ConnectionOptions {
        ConnectionOptions(host: "127.0.0.1", port: 3306, user: "nobody", password: Secret("not-a-real-password"))
    }

    /// Runs `body` with a fresh directory path (not created) for ``DefaultsFile``, removed after.
    ///
    /// The files go there by argument, never to ``DefaultsFile/defaultDirectory``: tests of
    /// other suites make option files there meanwhile.
    private func withDirectory(_ body: (String) throws -> Void) rethrows {
        let directory = FileManager.default.temporaryDirectory.appending(path: "cnf-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    @Test("a file left by a killed process is swept when the next one is made; live files are removed on demand")
    func staleSweptAndLiveRemoved() throws {
        try withDirectory { directory in
            mkdir(directory, 0o700)
            // No process has pid 4194303 (above the usual pid_max) and 2^22-1 is the Linux maximum.
            let stale = directory + "/client-4194303-1.cnf"
            _ = FileManager.default.createFile(
                atPath: stale, contents: Data("[client]\npassword=x\n".utf8),
                attributes: [.posixPermissions: 0o600])

            let file = try DefaultsFile(server: options(), in: directory)
            #expect(!FileManager.default.fileExists(atPath: stale), "the dead process's file is swept")
            #expect(file.path.hasPrefix(directory + "/"))
            let attributes = try FileManager.default.attributesOfItem(atPath: directory)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o700)
            DefaultsFile.removeAllLive(in: directory)
            #expect(!FileManager.default.fileExists(atPath: file.path))
        }
    }

    @Test("an unsafe private directory is refused, never used", arguments: UnsafeDirectory.allCases)
    func unsafeDirectoryRefused(_ unsafe: UnsafeDirectory) throws {
        try withDirectory { directory in
            let target = directory + ".target"
            defer { try? FileManager.default.removeItem(atPath: target) }
            switch unsafe {
            case .openToOthers:
                mkdir(directory, 0o777)
                chmod(directory, 0o777)
            case .symlink:
                mkdir(target, 0o700)
                try FileManager.default.createSymbolicLink(atPath: directory, withDestinationPath: target)
            }
            #expect(throws: MetaDumpError.self) { try DefaultsFile(server: options(), in: directory) }
            let left = try FileManager.default.contentsOfDirectory(atPath: unsafe == .symlink ? target : directory)
            #expect(left.isEmpty, "no option file was written into it: \(left)")
        }
    }
}
