import Foundation
import MetaDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A MySQL option file holding the connection and password, for client programs (`mariadb`, `mysqldump`, `mydumper`).
///
/// The password never appears on a command line (where `ps` and shell history
/// would show it): the file is created `0600` in one private `0700` directory
/// (the caller's: a run passes `<work-dir>/runs/.secrets`; else ``defaultDirectory``,
/// `$TMPDIR/oms-upgrade-<uid>`), and is passed as the first argument,
/// `--defaults-extra-file=<path>`. Call ``remove()`` when the program has
/// finished (`deinit` removes it too); a signal removes every live one
/// (``removeAllLive()``), and files a killed process left (SIGKILL) are swept
/// the next time a file is made there (their names carry the dead process id).
public final class DefaultsFile: Sendable {

    /// The path of the option file.
    public let path: String
    private let removed = Atomic<Bool>(false)

    private static let live = Mutex<Set<String>>([])
    private static let swept = Mutex<Set<String>>([])

    /// The private directory the files go to when the caller names none (created 0700 on first use).
    public static var defaultDirectory: String {
        (NSTemporaryDirectory() as NSString).appendingPathComponent("oms-upgrade-\(geteuid())")
    }

    /// Removes every option file this process still has (called when a signal ends it), or only
    /// those in `directory`.
    public static func removeAllLive(in directory: String? = nil) {
        for path in live.withLock({ $0 }) where directory.map({ path.hasPrefix($0 + "/") }) ?? true {
            unlink(path)
        }
    }

    /// Writes `[client]` with host, port, user and password of `server`, plus `extraOptions` (name, value) lines.
    ///
    /// Host `localhost` is written as `127.0.0.1` only if `forceTCP` is set; by
    /// default the client's own rule applies (localhost means the unix socket). The file goes to
    /// `directory`, by default ``defaultDirectory``.
    public init(
        server: ConnectionOptions, section: String = "client", extraOptions: [(String, String)] = [],
        in directory: String? = nil
    ) throws {
        let directory = directory ?? Self.defaultDirectory
        try Self.preparePrivateDirectory(directory)
        Self.sweepStale(in: directory)
        path = directory + "/client-\(getpid())-\(UInt64.random(in: 0..<UInt64.max)).cnf"

        var lines = ["[\(section)]"]
        lines.append("host=\(Self.quoted(server.host))")
        lines.append("port=\(server.port)")
        lines.append("user=\(Self.quoted(server.user))")
        lines.append("password=\(Self.quoted(server.password.reveal()))")
        for (name, value) in extraOptions {
            lines.append("\(name)=\(Self.quoted(value))")
        }
        let text = lines.joined(separator: "\n") + "\n"

        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw MetaDumpError(.fileSystem, action: "Creating the client option file", reason: reason, file: path)
        }
        Self.live.withLock { _ = $0.insert(path) }
        defer { close(fd) }
        let ok = Array(text.utf8).withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, base + offset, buffer.count - offset)
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
        guard ok else {
            let reason = String(cString: strerror(errno))
            remove()
            throw MetaDumpError(.fileSystem, action: "Writing the client option file", reason: reason, file: path)
        }
    }

    /// Creates `path` 0700 when absent; refuses a symlink, another user's or an open directory.
    static func preparePrivateDirectory(_ path: String) throws {
        var info = stat()
        if lstat(path, &info) != 0 {
            guard errno == ENOENT, mkdir(path, 0o700) == 0 || errno == EEXIST, lstat(path, &info) == 0 else {
                throw MetaDumpError(
                    .fileSystem, action: "Creating the private directory for client option files",
                    reason: String(cString: strerror(errno)), file: path,
                    remedy: "Check that its parent exists and is writable.")
            }
        }
        guard info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid(), info.st_mode & 0o077 == 0 else {
            throw MetaDumpError(
                .refused, action: "Using the private directory for client option files",
                reason: "\(path) is a symlink, belongs to another user or is open to other users",
                file: path, remedy: "Remove it; the tool creates it again with mode 0700.")
        }
    }

    /// Deletes option files in `directory` whose process is gone (killed before it could remove
    /// them); once per directory and process.
    static func sweepStale(in directory: String) {
        guard swept.withLock({ $0.insert(directory).inserted }) else { return }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix("client-") && name.hasSuffix(".cnf") {
            let parts = name.split(separator: "-")
            guard parts.count == 3, let pid = Int32(parts[1]), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + "/" + name) }
        }
    }

    /// The argument that must come first on the client's command line.
    public var argument: String { "--defaults-extra-file=" + path }

    /// Deletes the file and its directory; calling it again does nothing.
    public func remove() {
        guard !removed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        unlink(path)
        _ = Self.live.withLock { $0.remove(path) }
    }

    deinit { remove() }

    /// A double-quoted option value with the escapes the option-file reader understands.
    public static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
