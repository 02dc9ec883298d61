import Foundation

/// Helpers for the work directory: private directories, writability and free space.
public enum WorkDirectory {
    /// The default work directory when `--work-dir` is not given.
    public static let defaultPath = "/var/lib/oms-upgrade"

    /// Creates `url` with mode 0700 when absent and tightens it to 0700 when present.
    public static func ensurePrivateDirectory(_ url: URL) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw EngineError.io("\(url.path) exists and is not a directory") }
        } else {
            do {
                try manager.createDirectory(at: url, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
            } catch {
                throw EngineError.io("cannot create \(url.path): \(error.localizedDescription)")
            }
        }
        try? manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: url.path)
    }

    /// Whether a file can be created in `url` (creating the directory when needed), with the reason when not.
    public static func writabilityProblem(_ url: URL) -> String? {
        do {
            try ensurePrivateDirectory(url)
            let probe = url.appending(path: ".oms-upgrade-probe-\(getpid())")
            guard FileManager.default.createFile(atPath: probe.path, contents: Data("x".utf8)) else {
                return "cannot write to \(url.path)"
            }
            try? FileManager.default.removeItem(at: probe)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Free bytes on the file system holding `url` (or its nearest existing parent).
    public static func freeBytes(at url: URL) -> Int64? {
        var candidate = url
        while !FileManager.default.fileExists(atPath: candidate.path), candidate.path != "/" {
            candidate = candidate.deletingLastPathComponent()
        }
        guard let attributes = try? FileManager.default.attributesOfFileSystem(forPath: candidate.path),
              let free = attributes[.systemFreeSize] as? NSNumber else { return nil }
        return free.int64Value
    }
}
