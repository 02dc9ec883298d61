import Foundation
import Testing

@testable import OMSDeployment

/// The health probe's HTTP/1.x response reader (pure).
@Suite("HTTP response parsing")
struct HTTPResponseTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("a response with Content-Length is complete only when the body has arrived")
    func contentLength() throws {
        let full = bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello")
        #expect(try HTTPResponse.parse(full) == HTTPResponse(status: 200, body: bytes("hello")))
        #expect(try HTTPResponse.parse(Array(full.dropLast(2))) == nil)
        #expect(try HTTPResponse.parse(bytes("HTTP/1.1 200 OK\r\nContent-Le")) == nil)
        // Bytes past Content-Length are not part of the body.
        #expect(try HTTPResponse.parse(full + bytes("extra"))?.body == bytes("hello"))
    }

    @Test("chunked transfer coding is removed, with extensions, and waits for the last chunk")
    func chunked() throws {
        let head = "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n"
        let full = bytes(head + "4\r\n{\"a\"\r\nA;ext=1\r\n:true}    \r\n0\r\n\r\n")
        #expect(try HTTPResponse.parse(full) == HTTPResponse(status: 503, body: bytes("{\"a\":true}    ")))
        #expect(try HTTPResponse.parse(bytes(head + "4\r\n{\"a\"\r\n")) == nil)
        #expect(throws: ProbeFailure.self) { try HTTPResponse.parse(bytes(head + "zz\r\n")) }
    }

    @Test("no length: the body is what came before the close; bare LF line ends are read")
    func untilClose() throws {
        let raw = bytes("HTTP/1.0 200 ok\nContent-type: text/plain\n\n{\"data\":{}}")
        #expect(try HTTPResponse.parseAtEOF(raw) == HTTPResponse(status: 200, body: bytes("{\"data\":{}}")))
        #expect(throws: ProbeFailure.self) { try HTTPResponse.parseAtEOF([]) }
        let cut = bytes("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab")
        #expect(throws: ProbeFailure.self) { try HTTPResponse.parseAtEOF(cut) }
        #expect(throws: ProbeFailure.self) { try HTTPResponse.parse(bytes("SSH-2.0-OpenSSH_9.2\r\n\r\n")) }
    }

    @Test("the request names the path, the host with its port, and asks to close")
    func request() throws {
        let url = try #require(URL(string: "http://10.0.0.5:8089/oms/health?x=1"))
        let text = HTTPGet.requestText(url: url, host: "10.0.0.5")
        #expect(text.hasPrefix("GET /oms/health?x=1 HTTP/1.1\r\nHost: 10.0.0.5:8089\r\n"))
        #expect(text.contains("Connection: close\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
        let v6 = try #require(URL(string: "https://[::1]/oms/health"))
        #expect(HTTPGet.requestText(url: v6, host: "::1").contains("Host: [::1]\r\n"))
    }
}
