import Containers
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Asks an OMS console whether it is healthy: `GET <console>/oms/health`, JSON `data.healthy == true`.
///
/// HTTP goes through URLSession. HTTPS goes through `curl --insecure`: the console's
/// certificate is usually self-signed, and on Linux URLSession (FoundationNetworking) does not
/// hand server-trust challenges to a delegate, so it cannot be told to accept one. The probe
/// only reads a health flag, so skipping verification exposes nothing; curl is in every OMS
/// host's base system (and in the sandbox).
public struct HealthProbe: Sendable {
    /// How long one request may take.
    public var requestTimeout: Duration
    /// The curl used for HTTPS.
    public var curlExecutable: String

    /// Creates a probe.
    public init(requestTimeout: Duration = .seconds(5), curlExecutable: String = "curl") {
        self.requestTimeout = requestTimeout
        self.curlExecutable = curlExecutable
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
        let answer: (status: Int, body: Data)
        do {
            if url.scheme?.lowercased() == "https" {
                answer = try await fetchWithCurl(url)
            } else {
                answer = try await fetchWithURLSession(url)
            }
        } catch let error as ProbeFailure {
            return .unreachable(error.reason)
        } catch {
            return .unreachable(Self.describe(error))
        }
        return Self.interpret(status: answer.status, body: answer.body)
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

    private var timeoutSeconds: Double {
        let parts = requestTimeout.components
        return max(1, Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
    }

    private func fetchWithURLSession(_ url: URL) async throws -> (status: Int, body: Data) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.timeoutIntervalForResource = timeoutSeconds
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: url)
        request.timeoutInterval = timeoutSeconds
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw ProbeFailure(reason: "not an HTTP answer") }
        return (http.statusCode, data)
    }

    private func fetchWithCurl(_ url: URL) async throws -> (status: Int, body: Data) {
        let marker = "\n--oms-upgrade-http-status:"
        let arguments = ["--insecure", "-sS", "--max-time", String(Int(timeoutSeconds.rounded(.up))),
                         "-w", "\(marker)%{http_code}", url.absoluteString]
        let result = try await ProcessRunner.run(executable: curlExecutable, arguments: arguments)
        guard result.exitCode == 0 else {
            let reason = String(decoding: result.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ProbeFailure(reason: reason.isEmpty ? "curl exited \(result.exitCode)" : reason)
        }
        let output = String(decoding: result.stdout, as: UTF8.self)
        guard let range = output.range(of: marker, options: .backwards),
              let status = Int(output[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ProbeFailure(reason: "curl printed no HTTP status")
        }
        return (status, Data(output[..<range.lowerBound].utf8))
    }

    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        return nsError.localizedDescription.isEmpty ? "\(error)" : nsError.localizedDescription
    }
}

/// A failed request, with a short reason.
struct ProbeFailure: Error {
    var reason: String
}
