import Testing

@testable import Containers

/// The tar stream `docker cp CONTAINER:PATH -` writes, read back to the file's bytes.
@Suite("Reading a file out of a docker cp tar stream")
struct TarArchiveTests {
    /// A ustar header for `name` of `size` bytes and type `type`.
    static func header(_ name: String, size: Int, type: Character) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        for (index, byte) in name.utf8.prefix(100).enumerated() { block[index] = byte }
        let octal = Array(String(size, radix: 8).utf8)
        let field = [UInt8](repeating: UInt8(ascii: "0"), count: 11 - octal.count) + octal
        for (index, byte) in field.enumerated() { block[124 + index] = byte }
        block[156] = type.asciiValue ?? 0
        return block
    }

    static func padded(_ bytes: [UInt8]) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
    }

    @Test("a regular file after a pax extension entry comes back byte for byte")
    func fileAfterPaxHeader() {
        let pax = Array("30 mtime=1700000000.123456789\n".utf8)
        let content = Array("oms_meta_host: 10.0.0.5\noms_meta_password: 'p@ss'\n".utf8)
        let stream =
            Self.header("./PaxHeaders/config.yaml", size: pax.count, type: "x") + Self.padded(pax)
            + Self.header("config.yaml", size: content.count, type: "0") + Self.padded(content)
            + [UInt8](repeating: 0, count: 1024)
        #expect(TarArchive.firstFile(in: stream) == content)
    }

    @Test("an empty, truncated or directory-only stream holds no file")
    func noFile() {
        let content = Array("abc".utf8)
        #expect(TarArchive.firstFile(in: []) == nil)
        #expect(TarArchive.firstFile(in: [UInt8](repeating: 0, count: 1024)) == nil)
        #expect(TarArchive.firstFile(in: Self.header("conf/", size: 0, type: "5")) == nil)
        // The header promises more bytes than the stream holds.
        #expect(TarArchive.firstFile(in: Self.header("x", size: 4096, type: "0") + Self.padded(content)) == nil)
    }
}
