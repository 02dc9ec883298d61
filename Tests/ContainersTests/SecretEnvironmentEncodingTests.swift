import Containers
import Foundation
import Testing

/// Secret environment values never reach a plan file or `plan --json` (issue 8 item 5).
@Suite("secret environment encoding")
struct SecretEnvironmentEncodingTests {
    @Test("a secret-looking variable is encoded by name only and decoded as withheld")
    func secretValueWithheld() throws {
        let secret = "tok-\(UUID().uuidString)"
        let spec = ContainerRunSpec(
            name: "n", image: "i:1",
            env: [
                EnvVar(name: "API_TOKEN", value: secret),
                EnvVar(name: "OMS_HOST_IP", value: "10.0.0.7"),
            ])
        let data = try JSONEncoder().encode(spec)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains(secret), "\(text)")
        #expect(text.contains("API_TOKEN"))
        #expect(text.contains("10.0.0.7"))
        let decoded = try JSONDecoder().decode(ContainerRunSpec.self, from: data)
        #expect(decoded.env[0].valueWithheld && decoded.env[0].value.isEmpty)
        #expect(!decoded.env[1].valueWithheld && decoded.env[1].value == "10.0.0.7")
        #expect(spec.passedThroughEnvironment["API_TOKEN"] == secret)
        #expect(!spec.shellCommand().contains(secret))
    }
}
