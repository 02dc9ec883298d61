import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small file-system helpers: atomic replace, private directories, syncing.
enum AtomicFile {
    /// Writes `data` to `<path>.partial` (0600), syncs it, renames it to `path`, and syncs the directory.
    static func write(_ data: Data, to path: String) throws {
        let temporary = path + ".partial"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("Creating", temporary) }
        var ok = data.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, base + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        let error = failure("Writing", temporary)
        close(fd)
        guard ok else {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure("Renaming", path)
            unlink(temporary)
            throw error
        }
        syncDirectory(of: path)
    }

    /// Creates `path` as a new directory with mode 0700; refuses an existing non-empty directory.
    static func createPrivateDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]
            guard isDirectory.boolValue, entries.isEmpty else {
                throw MetaDumpError(
                    .refused, action: "Creating the backup directory",
                    reason: "\(path) already exists and is not an empty directory", file: path,
                    remedy: "Choose a new directory; a backup never overwrites another.")
            }
            // Never chmod a directory the tool did not create: refuse one that is not private.
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid(),
                info.st_mode & 0o077 == 0
            else {
                throw MetaDumpError(
                    .refused, action: "Creating the backup directory",
                    reason: "\(path) is a symlink, belongs to another user or is open to other users",
                    file: path,
                    remedy: "Pass a new --out path (the backup creates it 0700), "
                        + "or `chmod 700` a directory of your own.")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw MetaDumpError(.fileSystem, action: "Creating the backup directory", reason: "\(error)", file: path)
        }
        chmod(path, 0o700)
    }

    /// fsync of the directory holding `path`, so a rename survives a crash.
    static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    private static func failure(_ verb: String, _ path: String) -> MetaDumpError {
        MetaDumpError(.fileSystem, action: "\(verb) \(path)", reason: String(cString: strerror(errno)), file: path)
    }
}
