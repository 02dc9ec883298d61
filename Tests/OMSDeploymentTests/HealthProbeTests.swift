import Containers
import Foundation
import SandboxSupport
import Testing

@testable import OMSDeployment

@Suite("health probe", .integration)
struct HealthProbeTests {
    static let healthy = #"{"success":true,"data":{"healthy":true}}"#
    static let unhealthy = #"{"success":true,"data":{"healthy":false}}"#

    @Test("reading the answer")
    func interpret() {
        #expect(HealthProbe.interpret(status: 200, body: Data(Self.healthy.utf8)) == .healthy)
        #expect(
            HealthProbe.interpret(status: 200, body: Data(Self.unhealthy.utf8)) == .unhealthy("data.healthy is false"))
        #expect(
            HealthProbe.interpret(status: 200, body: Data(#"{"success":true}"#.utf8))
                == .unhealthy("the JSON has no data.healthy"))
        #expect(HealthProbe.interpret(status: 502, body: Data()) == .unhealthy("HTTP 502"))
        #expect(!HealthProbe.interpret(status: 200, body: Data("<html>".utf8)).isHealthy)
        #expect(
            HealthProbe.healthURL(console: URL(string: "http://10.0.0.5:8089")!).absoluteString
                == "http://10.0.0.5:8089/oms/health")
    }

    /// A directory with `oms/health` holding `body`.
    private func site(_ body: String) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("oms-health-site")
        try directory.directory("oms")
        try directory.write("oms/health", body)
        return directory
    }

    @Test("HTTP through the built-in client: healthy, not healthy, not found, unreachable")
    func http() async throws {
        let good = try site(Self.healthy)
        defer { good.remove() }
        let server = try LocalServer.http(serving: good.path)
        defer { server.stop() }
        let probe = HealthProbe(requestTimeout: .seconds(3))
        #expect(await probe.check(url: URL(string: "http://127.0.0.1:\(server.port)")!) == .healthy)

        try good.write("oms/health", Self.unhealthy)
        #expect(
            await probe.check(url: URL(string: "http://127.0.0.1:\(server.port)")!)
                == .unhealthy("data.healthy is false"))

        try FileManager.default.removeItem(atPath: good.file("oms/health"))
        #expect(await probe.check(url: URL(string: "http://127.0.0.1:\(server.port)")!) == .unhealthy("HTTP 404"))

        let closed = Sandbox.freePort()
        guard case .unreachable = await probe.check(url: URL(string: "http://127.0.0.1:\(closed)")!) else {
            Issue.record("a closed port should be unreachable")
            return
        }
    }

    @Test("HTTPS with a self-signed certificate, through OpenSSL without verification (no curl)")
    func https() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let (certificate, key) = try certificates.rsaPair()
        let good = try site(Self.healthy)
        defer { good.remove() }
        let server = try LocalServer.https(serving: good.path, certificate: certificate, key: key)
        defer { server.stop() }
        let probe = HealthProbe(requestTimeout: .seconds(3))
        #expect(await probe.check(url: URL(string: "https://127.0.0.1:\(server.port)")!) == .healthy)

        // Plain HTTP against the TLS port answers nothing healthy.
        #expect(!(await probe.check(url: URL(string: "http://127.0.0.1:\(server.port)")!)).isHealthy)
        let closed = Sandbox.freePort()
        guard case .unreachable = await probe.check(url: URL(string: "https://127.0.0.1:\(closed)")!) else {
            Issue.record("a closed port should be unreachable")
            return
        }
    }

    @Test("a server that accepts but never answers: unreachable, timed out, over HTTP and HTTPS")
    func silentServer() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let probe = HealthProbe(requestTimeout: .seconds(1))
        for scheme in ["http", "https"] {
            let status = await probe.check(url: URL(string: "\(scheme)://127.0.0.1:\(listener.port)")!)
            guard case .unreachable(let reason) = status else {
                Issue.record("\(scheme): a silent server should be unreachable, got \(status)")
                continue
            }
            #expect(reason.contains("timed out"), "\(scheme): \(reason)")
        }
    }
}
