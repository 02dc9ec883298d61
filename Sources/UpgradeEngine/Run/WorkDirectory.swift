import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Helpers for the work directory: private directories, writability and free space.
///
/// The work directory may be one the operator already has (`--work-dir /tmp`): the tool never
/// changes a directory it did not create. It refuses one owned by another user, keeps
/// everything it writes in its own 0700 subdirectory (`runs/`), and never follows a symlink
/// planted where it expects its own directories.
public enum WorkDirectory {
    /// The default work directory when `--work-dir` is not given.
    public static let defaultPath = "/var/lib/oms-upgrade"

    /// Makes sure the work directory `url` exists: creates it 0700 when absent, leaves an existing one as it is.
    ///
    /// Refuses a path that is not a directory or belongs to another user (other than root).
    public static func prepare(_ url: URL) throws {
        var info = stat()
        if stat(url.path, &info) != 0 {
            guard errno == ENOENT else { throw failure("inspect", url.path) }
            do {
                try FileManager.default.createDirectory(
                    at: url, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch {
                throw EngineError.io("cannot create \(url.path): \(error.localizedDescription)")
            }
            chmod(url.path, 0o700)
            return
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw EngineError.io("\(url.path) exists and is not a directory; pass another --work-dir")
        }
        guard info.st_uid == geteuid() || info.st_uid == 0 else {
            throw EngineError.io(
                "the work directory \(url.path) belongs to another user (uid \(info.st_uid)); "
                    + "pass a --work-dir of your own")
        }
    }

    /// Creates the tool's own directory `url` (0700) inside a prepared directory, or checks the existing one.
    ///
    /// An existing entry must be a real directory (not a symlink), owned by this user and closed
    /// to others; it is never chmod'ed. The parent is synced so that a new directory survives a crash.
    public static func ensurePrivateDirectory(_ url: URL) throws {
        var info = stat()
        if lstat(url.path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw EngineError.io(
                    "\(url.path) is not a directory of this tool (a symlink or a file was put there); "
                        + "move it away or pass another --work-dir")
            }
            guard info.st_uid == geteuid() else {
                throw EngineError.io(
                    "\(url.path) belongs to another user (uid \(info.st_uid)); move it away or pass another --work-dir")
            }
            guard info.st_mode & 0o077 == 0 else {
                let mode = String(info.st_mode & 0o777, radix: 8)
                throw EngineError.io(
                    "\(url.path) is open to other users (mode \(mode)); "
                        + "run `chmod 700 \(url.path)` or pass another --work-dir")
            }
            return
        }
        guard errno == ENOENT else { throw failure("inspect", url.path) }
        guard mkdir(url.path, 0o700) == 0 || errno == EEXIST else { throw failure("create", url.path) }
        try ensurePrivateDirectory(url)
        try DurableFile.syncDirectory(url.deletingLastPathComponent())
    }

    /// Whether the tool can work in `url`, with the reason when not. Changes nothing that exists.
    public static func writabilityProblem(_ url: URL) -> String? {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            guard errno == ENOENT else { return "cannot use \(url.path): \(String(cString: strerror(errno)))" }
            // Absent: apply creates it; the nearest existing parent must be a directory that takes a new one.
            var parent = url.deletingLastPathComponent()
            while stat(parent.path, &info) != 0, parent.path != "/" { parent = parent.deletingLastPathComponent() }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                return "cannot create \(url.path): \(parent.path) is not a directory"
            }
            return access(parent.path, W_OK | X_OK) == 0
                ? nil : "cannot create \(url.path): \(parent.path) is not writable"
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { return "\(url.path) exists and is not a directory" }
        guard info.st_uid == geteuid() || info.st_uid == 0 else {
            return "the work directory \(url.path) belongs to another user (uid \(info.st_uid))"
        }
        let runs = url.appending(path: "runs")
        if lstat(runs.path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid(), info.st_mode & 0o077 == 0 else {
                return "\(runs.path) is not a private directory of this tool "
                    + "(a symlink, another owner or open to others)"
            }
        }
        return access(url.path, W_OK | X_OK) == 0 ? nil : "cannot write to \(url.path)"
    }

    /// Free bytes on the file system holding `url` (or its nearest existing parent).
    public static func freeBytes(at url: URL) -> Int64? {
        var candidate = url
        while !FileManager.default.fileExists(atPath: candidate.path), candidate.path != "/" {
            candidate = candidate.deletingLastPathComponent()
        }
        guard let attributes = try? FileManager.default.attributesOfFileSystem(forPath: candidate.path),
            let free = attributes[.systemFreeSize] as? NSNumber
        else { return nil }
        return free.int64Value
    }

    private static func failure(_ verb: String, _ path: String) -> EngineError {
        EngineError.io("cannot \(verb) \(path): \(String(cString: strerror(errno)))")
    }
}
