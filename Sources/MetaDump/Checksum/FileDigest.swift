import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file in large chunks, hashing it and handing each chunk to a consumer.
enum FileDigest {
    /// The chunk size for sequential reads.
    static let chunkSize = 4 << 20

    /// Streams the file at `path` through `consume`, returning its size and SHA-256 (hex).
    static func read(_ path: String, _ consume: (UnsafeRawBufferPointer) throws -> Void = { _ in }) throws
        -> (size: Int64, sha256: String)
    {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw MetaDumpError(
                .fileSystem, action: "Opening \(path)", reason: String(cString: strerror(errno)), file: path)
        }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        var size: Int64 = 0
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw MetaDumpError(
                    .fileSystem, action: "Reading \(path)", reason: String(cString: strerror(errno)), file: path)
            }
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            hasher.update(bufferPointer: chunk)
            try consume(chunk)
            size += Int64(n)
        }
        return (size, hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }
}
