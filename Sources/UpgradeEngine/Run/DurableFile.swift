import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Durable file operations for the run directory: atomic replace, fsync of files and directories,
/// and no symlink ever followed.
///
/// A crash (SIGKILL, power cut) at any moment leaves either the old or the new content of a
/// file, never a mix, and a created or renamed file survives because its directory is synced.
enum DurableFile {
    /// Writes `data` to `url` atomically: a 0600 temp file beside it, fsync, rename, fsync of the directory.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        let path = url.path
        let temporary = url.deletingLastPathComponent()
            .appending(path: ".\(url.lastPathComponent).tmp-\(getpid())").path
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("create", temporary) }
        do {
            try writeAll(fd, data, path: temporary)
            guard fsync(fd) == 0 else { throw failure("sync", temporary) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let error = failure("rename \(temporary) to", path)
            unlink(temporary)
            throw error
        }
        try syncDirectory(url.deletingLastPathComponent())
    }

    /// Creates `url` empty with mode 0600 unless it exists; refuses a symlink; syncs the directory when created.
    static func createIfAbsent(_ url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd >= 0 {
            fsync(fd)
            close(fd)
            try syncDirectory(url.deletingLastPathComponent())
            return
        }
        guard errno == EEXIST else { throw failure("create", url.path) }
        var info = stat()
        guard lstat(url.path, &info) == 0 else { throw failure("inspect", url.path) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw EngineError.io(
                "\(url.path) is not a regular file (a symlink or another kind of file was put there); move it away")
        }
    }

    /// Appends `data` to `url` (never through a symlink) and forces it to disk before returning.
    static func append(_ data: Data, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", url.path) }
        defer { close(fd) }
        try writeAll(fd, data, path: url.path)
        guard fsync(fd) == 0 else { throw failure("sync", url.path) }
    }

    /// Cuts `url` to `length` bytes and syncs it.
    static func truncate(_ url: URL, to length: Int) throws {
        let fd = open(url.path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", url.path) }
        defer { close(fd) }
        guard ftruncate(fd, off_t(length)) == 0, fsync(fd) == 0 else { throw failure("truncate", url.path) }
    }

    /// fsync of a directory, so that the names created or renamed in it survive a crash.
    static func syncDirectory(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open the directory", url.path) }
        defer { close(fd) }
        // Some file systems refuse fsync on a directory (EINVAL); the data itself is synced already.
        if fsync(fd) != 0, errno != EINVAL { throw failure("sync the directory", url.path) }
    }

    private static func writeAll(_ fd: Int32, _ data: Data, path: String) throws {
        try data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, base + offset, buffer.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw failure("write", path) }
                offset += written
            }
        }
    }

    private static func failure(_ verb: String, _ path: String) -> EngineError {
        EngineError.io("cannot \(verb) \(path): \(String(cString: strerror(errno)))")
    }
}
