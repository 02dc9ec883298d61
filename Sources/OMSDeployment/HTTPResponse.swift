import Foundation

/// One HTTP/1.x response as the health probe reads it: the status code and the decoded body.
struct HTTPResponse: Sendable, Equatable {
    /// The status code from the status line (`HTTP/1.1 200 OK` → 200).
    var status: Int
    /// The body, with chunked transfer coding removed and cut to `Content-Length`.
    var body: [UInt8]

    /// Parses a complete response; nil when `raw` does not hold all of it yet.
    ///
    /// Throws when what arrived cannot be an HTTP response (no status line, a bad chunk size).
    static func parse(_ raw: [UInt8]) throws(ProbeFailure) -> HTTPResponse? {
        guard let headerEnd = Self.headerEnd(raw) else { return nil }
        let head = String(decoding: raw[..<headerEnd.start], as: UTF8.self)
        // Split on Character newlines: "\r\n" is one Character in Swift, so a split on "\n" alone misses it.
        var lines = head.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let statusLine = lines.isEmpty ? "" : String(lines.removeFirst())
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw ProbeFailure(reason: "not an HTTP answer: \(String(statusLine.prefix(80)))")
        }
        var contentLength: Int?
        var chunked = false
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "content-length" { contentLength = Int(value) }
            if name == "transfer-encoding", value.lowercased().contains("chunked") { chunked = true }
        }
        let rest = Array(raw[headerEnd.bodyStart...])
        if chunked {
            guard let body = try Self.dechunk(rest) else { return nil }
            return HTTPResponse(status: status, body: body)
        }
        if let contentLength {
            guard rest.count >= contentLength else { return nil }
            return HTTPResponse(status: status, body: Array(rest.prefix(contentLength)))
        }
        return HTTPResponse(status: status, body: rest)
    }

    /// Parses what arrived before the server closed the connection: a response without a length
    /// ends there, one with a length must be complete.
    static func parseAtEOF(_ raw: [UInt8]) throws(ProbeFailure) -> HTTPResponse {
        if raw.isEmpty { throw ProbeFailure(reason: "the server closed the connection without an answer") }
        guard let response = try parse(raw) else {
            throw ProbeFailure(reason: "the server closed the connection in the middle of its answer")
        }
        return response
    }

    /// Where the header block ends (`CRLF CRLF`, or a bare `LF LF`).
    private static func headerEnd(_ raw: [UInt8]) -> (start: Int, bodyStart: Int)? {
        var index = 0
        while index < raw.count {
            if raw[index] == UInt8(ascii: "\n") {
                if index + 1 < raw.count, raw[index + 1] == UInt8(ascii: "\n") { return (index, index + 2) }
                if index + 2 < raw.count, raw[index + 1] == UInt8(ascii: "\r"), raw[index + 2] == UInt8(ascii: "\n") {
                    return (index, index + 3)
                }
            }
            index += 1
        }
        return nil
    }

    /// Removes chunked transfer coding; nil until the last (zero-size) chunk has arrived.
    static func dechunk(_ data: [UInt8]) throws(ProbeFailure) -> [UInt8]? {
        var body: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = data[index...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            let sizeText =
                String(decoding: data[index..<lineEnd], as: UTF8.self)
                .split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else {
                throw ProbeFailure(reason: "a bad chunk size in the answer: \(String(sizeText.prefix(20)))")
            }
            let start = lineEnd + 1
            if size == 0 { return body }
            guard data.count >= start + size else { return nil }
            body.append(contentsOf: data[start..<(start + size)])
            index = start + size
            // The CRLF after the chunk's data.
            while index < data.count, data[index] == UInt8(ascii: "\r") || data[index] == UInt8(ascii: "\n") {
                index += 1
                if data[index - 1] == UInt8(ascii: "\n") { break }
            }
            if index >= data.count { return nil }
        }
    }
}
