import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a dump file through a large buffer, counting bytes and hashing them (SHA-256) as they go.
///
/// The bytes go to `<path>.partial` (created `0600`, never overwriting);
/// ``finish()`` flushes, syncs and renames it to `<path>`, so a file under its
/// final name is always complete. ``abandon()`` removes the partial file. SQL
/// literal encoders write straight into the buffer (see `SQLLiteral`).
final class SQLFileWriter {
    /// The final path.
    let path: String
    /// Where the bytes go until ``finish()``.
    let partialPath: String
    private let fd: Int32
    private var buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// Bytes in `buffer` not yet written.
    private(set) var count = 0
    private var hasher = SHA256()
    /// Bytes written to the file so far, including the buffered ones.
    private(set) var bytesWritten: Int64 = 0
    private var closed = false

    /// Creates `<path>.partial`; fails if it or `path` exists.
    init(path: String, bufferSize: Int = 4 << 20) throws {
        self.path = path
        self.partialPath = path + ".partial"
        if FileManager.default.fileExists(atPath: path) {
            throw MetaDumpError(
                .refused, action: "Creating the dump file", reason: "it already exists", file: path,
                remedy: "Choose a new backup directory.")
        }
        let fd = open(partialPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw MetaDumpError(
                .fileSystem, action: "Creating the dump file", reason: String(cString: strerror(errno)),
                file: partialPath)
        }
        self.fd = fd
        self.capacity = bufferSize
        self.buffer = .allocate(capacity: bufferSize)
    }

    deinit {
        if !closed { abandon() }
        buffer.deallocate()
    }

    /// Free space left in the buffer.
    @inline(__always) var available: Int { capacity - count }

    /// Makes room for at least `bytes` more bytes (at most the buffer size) by flushing.
    @inline(__always) func reserve(_ bytes: Int) throws {
        if capacity - count < bytes { try flush() }
    }

    /// The next free byte of the buffer; valid until the next flush. Call ``commit(_:)`` after filling.
    @inline(__always) var cursor: UnsafeMutablePointer<UInt8> { buffer + count }

    /// Marks `bytes` bytes written at ``cursor`` as used.
    @inline(__always) func commit(_ bytes: Int) {
        count += bytes
        bytesWritten += Int64(bytes)
    }

    /// Appends one byte.
    @inline(__always) func append(_ byte: UInt8) throws {
        if count == capacity { try flush() }
        buffer[count] = byte
        count += 1
        bytesWritten += 1
    }

    /// Appends raw bytes, flushing as often as needed.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            if count == capacity { try flush() }
            let n = min(capacity - count, bytes.count - offset)
            (buffer + count).update(
                from: base.advanced(by: offset).assumingMemoryBound(to: UInt8.self), count: n)
            count += n
            bytesWritten += Int64(n)
            offset += n
        }
    }

    /// Appends the UTF-8 bytes of `text`.
    func append(_ text: String) throws {
        var text = text
        try text.withUTF8 { try append(UnsafeRawBufferPointer($0)) }
    }

    /// Writes the buffered bytes to the file and the hash.
    func flush() throws {
        guard count > 0 else { return }
        let chunk = UnsafeRawBufferPointer(start: buffer, count: count)
        hasher.update(bufferPointer: chunk)
        var offset = 0
        while offset < count {
            let n = write(fd, buffer + offset, count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw MetaDumpError(
                    .fileSystem, action: "Writing the dump file", reason: String(cString: strerror(errno)),
                    file: partialPath,
                    remedy: errno == ENOSPC
                        ? "Free disk space or choose another directory, then run the backup again." : nil)
            }
            offset += n
        }
        count = 0
    }

    /// Flushes, syncs, closes and renames the file to its final name; returns its size and SHA-256 (hex).
    func finish() throws -> (size: Int64, sha256: String) {
        try flush()
        if fsync(fd) != 0 {
            throw MetaDumpError(
                .fileSystem, action: "Syncing the dump file", reason: String(cString: strerror(errno)),
                file: partialPath)
        }
        close(fd)
        closed = true
        if rename(partialPath, path) != 0 {
            throw MetaDumpError(
                .fileSystem, action: "Renaming the finished dump file", reason: String(cString: strerror(errno)),
                file: path)
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return (bytesWritten, digest)
    }

    /// Closes and deletes the partial file; used when the dump failed.
    func abandon() {
        guard !closed else { return }
        close(fd)
        closed = true
        unlink(partialPath)
    }
}
