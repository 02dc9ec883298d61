import BlockingWork
import Foundation

/// A minimal HTTP/1.1 `GET` over a socket, plain or TLS (OpenSSL, certificate not verified).
///
/// It replaces URLSession so the tool links without FoundationNetworking (whose static archive
/// needs libcurl) and probes HTTPS without a `curl` on the host.
enum HTTPGet {
    /// The largest answer read; a health answer is a few dozen bytes.
    static let maximumResponseBytes = 1 << 20

    /// Fetches `url`, all of it within `timeout`; runs on the blocking pool, off the cooperative pool.
    static func fetch(_ url: URL, timeout: Duration) async throws(ProbeFailure) -> HTTPResponse {
        // To completion even in a cancelled task, as before: `timeout` bounds it, and the health wait
        // checks for cancellation between probes.
        let result: Result<HTTPResponse, ProbeFailure> = await BlockingPool.shared.runToCompletion {
            do throws(ProbeFailure) {
                return .success(try fetchBlocking(url, timeout: timeout))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The same, blocking the calling thread.
    static func fetchBlocking(_ url: URL, timeout: Duration) throws(ProbeFailure) -> HTTPResponse {
        let scheme = url.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else {
            throw ProbeFailure(reason: "\(url.absoluteString) is not an http:// or https:// address")
        }
        guard let host = url.host?.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), !host.isEmpty else {
            throw ProbeFailure(reason: "\(url.absoluteString) names no host")
        }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let socket = try TCPSocket.connect(host: host, port: port, deadline: deadline)
        defer { socket.close() }
        let request = Array(requestText(url: url, host: host).utf8)
        if scheme == "https" {
            let tls = try TLSSession(socket: socket, serverName: host)
            try tls.send(request)
            return try readResponse(socket: socket) { () throws(ProbeFailure) in try tls.receive(upTo: 16384) }
        }
        try socket.send(request)
        return try readResponse(socket: socket) { () throws(ProbeFailure) in try socket.receive(upTo: 16384) }
    }

    /// `GET <path> HTTP/1.1` with `Host` and `Connection: close`.
    static func requestText(url: URL, host: String) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        var target = components?.percentEncodedPath ?? "/"
        if target.isEmpty { target = "/" }
        if let query = components?.percentEncodedQuery { target += "?" + query }
        var hostHeader = host.contains(":") ? "[\(host)]" : host
        if let port = url.port { hostHeader += ":\(port)" }
        return "GET \(target) HTTP/1.1\r\nHost: \(hostHeader)\r\nUser-Agent: oms-upgrade\r\n"
            + "Accept: application/json\r\nConnection: close\r\n\r\n"
    }

    /// Reads until the response is complete or the server closes the connection.
    private static func readResponse(
        socket: TCPSocket, receive: () throws(ProbeFailure) -> [UInt8]
    ) throws(ProbeFailure) -> HTTPResponse {
        var raw: [UInt8] = []
        while true {
            let bytes = try receive()
            if bytes.isEmpty { return try HTTPResponse.parseAtEOF(raw) }
            raw.append(contentsOf: bytes)
            if let response = try HTTPResponse.parse(raw) { return response }
            guard raw.count <= maximumResponseBytes else {
                throw ProbeFailure(reason: "the answer is larger than \(maximumResponseBytes) bytes")
            }
            if socket.expired { throw ProbeFailure(reason: "timed out reading the answer") }
        }
    }
}
