import Containers
import Foundation

/// Asks an OMS console whether it is healthy: `GET <console>/oms/health`, JSON `data.healthy == true`.
///
/// HTTP and HTTPS go through ``HTTPGet``, a small client of our own (OpenSSL for TLS): the
/// console's certificate is usually self-signed and is not verified (the probe only reads a
/// health flag, so skipping verification exposes nothing), and neither URLSession (whose static
/// archive needs libcurl) nor a `curl` on the host is needed.
public struct HealthProbe: Sendable {
    /// How long one request may take.
    public var requestTimeout: Duration

    /// Creates a probe.
    public init(requestTimeout: Duration = .seconds(5)) {
        self.requestTimeout = requestTimeout
    }

    /// `<consoleURL>/oms/health`.
    public static func healthURL(console: URL) -> URL {
        console.appendingPathComponent("oms").appendingPathComponent("health")
    }

    /// Looks once; never throws (no answer is ``HealthStatus/unreachable(_:)``).
    ///
    /// - Parameter url: the console's address (``Deployment/consoleURL``); `/oms/health` is added.
    public func check(url console: URL) async -> HealthStatus {
        let url = Self.healthURL(console: console)
        do {
            let answer = try await HTTPGet.fetch(url, timeout: requestTimeout)
            return Self.interpret(status: answer.status, body: Data(answer.body))
        } catch {
            return .unreachable(error.reason)
        }
    }

    /// Reads the answer: healthy only for HTTP 200 and `data.healthy == true`.
    static func interpret(status: Int, body: Data) -> HealthStatus {
        struct Answer: Decodable {
            struct Payload: Decodable { var healthy: Bool? }
            var data: Payload?
        }
        guard status == 200 else { return .unhealthy("HTTP \(status)") }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: body) else {
            let excerpt = String(decoding: body.prefix(120), as: UTF8.self)
            return .unhealthy("not the health JSON: \(excerpt)")
        }
        switch answer.data?.healthy {
        case true?: return .healthy
        case false?: return .unhealthy("data.healthy is false")
        case nil: return .unhealthy("the JSON has no data.healthy")
        }
    }
}

/// A failed request, with a short reason.
struct ProbeFailure: Error {
    var reason: String
}
