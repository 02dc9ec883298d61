import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a small configuration file without blocking on a FIFO and without reading more than a limit.
///
/// The file is opened non-blocking (a FIFO with no writer would otherwise hang
/// the open), must be a regular file, and is read up to `limit` bytes; anything
/// else is an ``OMSConfigError`` that names the problem.
enum ConfigFileReader {
    static func contents(of path: String, limit: Int) throws -> Data {
        func fail(_ problem: OMSConfigError.Problem) -> OMSConfigError { OMSConfigError(path: path, problem: problem) }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            let reason =
                errno == ENOENT
                ? "no such file"
                : errno == EACCES ? "permission denied" : String(cString: strerror(errno))
            throw fail(.unreadable(reason: reason))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail(.unreadable(reason: String(cString: strerror(errno)))) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFIFO: throw fail(.notARegularFile(kind: "a FIFO (named pipe)"))
        case S_IFDIR: throw fail(.notARegularFile(kind: "a directory"))
        case S_IFCHR, S_IFBLK: throw fail(.notARegularFile(kind: "a device"))
        case S_IFSOCK: throw fail(.notARegularFile(kind: "a socket"))
        default: throw fail(.notARegularFile(kind: "an unknown kind of file"))
        }
        if Int(info.st_size) > limit { throw fail(.tooLarge(limit: limit)) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw fail(.unreadable(reason: String(cString: strerror(errno))))
            }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<n])
            // The file may grow after fstat: never keep more than the limit.
            if data.count > limit { throw fail(.tooLarge(limit: limit)) }
        }
        return data
    }
}
