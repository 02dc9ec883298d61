/// Reads the first regular file of a tar stream, as `docker cp CONTAINER:PATH -` writes one.
///
/// Only what that stream holds is understood: 512-byte ustar headers, optional pax or GNU
/// extension entries before the file (skipped), then the file's bytes.
enum TarArchive {
    /// The first regular file's contents, nil when the stream holds none.
    static func firstFile(in bytes: [UInt8]) -> [UInt8]? {
        var offset = 0
        while offset + 512 <= bytes.count {
            let header = bytes[offset..<offset + 512]
            if header.allSatisfy({ $0 == 0 }) { return nil }
            guard let size = octal(header.dropFirst(124).prefix(12)) else { return nil }
            let type = header[header.startIndex + 156]
            let start = offset + 512
            guard start + size <= bytes.count else { return nil }
            // "0" or NUL: a regular file; anything else (pax "x"/"g", GNU "L", directories) is skipped.
            if type == UInt8(ascii: "0") || type == 0 { return Array(bytes[start..<start + size]) }
            offset = start + (size + 511) / 512 * 512
        }
        return nil
    }

    /// An octal number field, NUL- or space-terminated.
    private static func octal(_ field: ArraySlice<UInt8>) -> Int? {
        let digits = field.prefix { $0 != 0 && $0 != UInt8(ascii: " ") }.drop { $0 == UInt8(ascii: " ") }
        guard !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }) else {
            return nil
        }
        return digits.reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
    }
}
