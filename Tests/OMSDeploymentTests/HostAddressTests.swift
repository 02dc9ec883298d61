import Containers
import Foundation
import Testing

@testable import OMSDeployment

/// OMS_HOST_IP and --host-ip never reach a force-unwrapped URL: a bad value is a clear error.
@Suite("host addresses")
struct HostAddressTests {
    static let bad = [
        "10.0.0.5 x", "a/b", "host name", "1.2.3.4\n", "[::1", "http://x", "$(id)", "-x", "ü.example", "::1%eth0",
    ]

    @Test(
        "good addresses build the console URL",
        arguments: ["10.0.0.5", "::1", "[fe80::1]", "oms-1.example.com", "localhost"])
    func goodAddresses(host: String) throws {
        let url = try Deployment.consoleURL(host: host, port: 8089, https: false)
        #expect(url.port == 8089 && url.host != nil)
    }

    @Test("a bad OMS_HOST_IP is a clear error, not a crash", arguments: bad)
    func badAddresses(host: String) throws {
        let error = try #require(throws: HostAddressError.self) {
            try Deployment.consoleURL(host: host, port: 8089, https: false)
        }
        #expect(error.description.contains("is not an IP address or host name"))
        #expect(error.description.contains("--host-ip"))
        #expect(!error.description.contains("\n"))
    }

    @Test("--host-ip with a bad value is refused when the new container's spec is built", arguments: bad)
    func badHostIPOption(host: String) throws {
        let deployment = NewContainerSpecTests.deployment(NewContainerSpecTests.oldContainer())
        let error = try #require(throws: HostAddressError.self) {
            try NewContainerSpec.build(
                for: deployment, options: NewContainerOptions(image: "oms:feature_3.3.0_ce", hostIP: host))
        }
        #expect(error.source == "--host-ip")
    }

    @Test("a bad OMS_HOST_IP on the old container is refused too")
    func badOldHostIP() throws {
        let old = NewContainerSpecTests.oldContainer(env: [EnvVar(name: "OMS_HOST_IP", value: "10.0.0.5/24")])
        let deployment = NewContainerSpecTests.deployment(old)
        #expect(throws: HostAddressError.self) { try deployment.consoleURL }
        let error = try #require(throws: HostAddressError.self) {
            try NewContainerSpec.build(for: deployment, options: NewContainerOptions(image: "oms:feature_3.3.0_ce"))
        }
        #expect(error.description.contains("OMS_HOST_IP of container oms_322"))
    }
}
