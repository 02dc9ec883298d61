import Foundation
import MetaDB

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
/// would show it): the file is created `0600` inside a fresh `0700` directory,
/// and is passed as the first argument, `--defaults-extra-file=<path>`.
/// Call ``remove()`` when the program has finished (`deinit` removes it too).
public final class DefaultsFile: @unchecked Sendable {
    // @unchecked: immutable after init except `removed`, which only remove() touches.

    /// The path of the option file.
    public let path: String
    private let directory: String
    private var removed = false

    /// Writes `[client]` with host, port, user and password of `server`, plus `extraOptions` (name, value) lines.
    ///
    /// Host `localhost` is written as `127.0.0.1` only if `forceTCP` is set; by
    /// default the client's own rule applies (localhost means the unix socket).
    public init(server: ConnectionOptions, section: String = "client", extraOptions: [(String, String)] = []) throws {
        var template = Array((NSTemporaryDirectory() + "/oms-upgrade-defaults-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw MetaDumpError(.fileSystem, action: "Creating a private directory for the client option file",
                                reason: String(cString: strerror(errno)),
                                remedy: "Check that TMPDIR (\(NSTemporaryDirectory())) exists and is writable.")
        }
        directory = String(cString: made)
        path = directory + "/client.cnf"
        chmod(directory, 0o700)

        var lines = ["[\(section)]"]
        lines.append("host=\(Self.quoted(server.host))")
        lines.append("port=\(server.port)")
        lines.append("user=\(Self.quoted(server.user))")
        lines.append("password=\(Self.quoted(server.password.reveal()))")
        for (name, value) in extraOptions {
            lines.append("\(name)=\(Self.quoted(value))")
        }
        let text = lines.joined(separator: "\n") + "\n"

        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            rmdir(directory)
            throw MetaDumpError(.fileSystem, action: "Creating the client option file", reason: reason, file: path)
        }
        defer { close(fd) }
        let ok = Array(text.utf8).withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
        guard ok else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            rmdir(directory)
            throw MetaDumpError(.fileSystem, action: "Writing the client option file", reason: reason, file: path)
        }
    }

    /// The argument that must come first on the client's command line.
    public var argument: String { "--defaults-extra-file=" + path }

    /// Deletes the file and its directory; calling it again does nothing.
    public func remove() {
        guard !removed else { return }
        removed = true
        unlink(path)
        rmdir(directory)
    }

    deinit { remove() }

    /// A double-quoted option value with the escapes the option-file reader understands.
    static func quoted(_ value: String) -> String {
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
