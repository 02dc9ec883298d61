import Foundation
import SandboxSupport
import Testing

/// `oms-upgrade plan` against a real fixture deployment: the happy plan and bad inputs.
@Suite("plan command", .integration, .tags(.mariadb, .docker))
struct PlanCommandTests {
    @Test("a healthy 3.2.2 deployment gives a ready plan whose JSON lists every step")
    func happyPlan() throws {
        let deployment = try Sandbox.deployFixture(heartbeatRows: 5000)
        defer { deployment.removeAll() }
        let workDir = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: workDir) }
        let newName = Sandbox.uniqueName("oms_new")

        let result = try CLI.run([
            "plan", "--container", deployment.containerName, "--image", Sandbox.fixtureImage("3.3.0"),
            "--name", newName, "--work-dir", workDir.path, "--json",
        ])
        #expect(result.status == 0, "\(result)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(
            steps.compactMap { $0["id"] as? String } == [
                "pre-prune", "ha-off", "online-copy", "stop-old", "catch-up", "prune", "start-new", "init", "health",
                "backup",
                "ha-on",
            ])
        let checks = try #require(json["checks"] as? [[String: Any]])
        #expect(checks.allSatisfy { ($0["status"] as? String) != "fail" }, "\(checks)")
        let route = try #require(json["route"] as? [String: Any])
        #expect(route["from"] as? String == "3.2.2-CE")
        #expect(route["to"] as? String == "3.3.0-CE")
        let nodes = try #require(json["nodes"] as? [[String: Any]])
        #expect(nodes.count == 1 && nodes[0]["ip"] == nil, "one node, named by no IP")
        let newContainer = try #require(nodes.first?["newContainer"] as? [String: Any])
        #expect(newContainer["name"] as? String == newName)
        #expect(newContainer["privileged"] as? Bool == false)
        let sizes = try #require(json["sizes"] as? [[String: Any]])
        #expect(sizes.count == 3)
        #expect((json["heartbeatRowsToPrune"] as? Int ?? 0) > 1000)
        // The manual commands never carry a password: they read a defaults file.
        let password = try Sandbox.mysql().password
        #expect(!result.stdout.contains(password))
        #expect(!result.stdout.contains(["-p", password].joined()), "no client gets the password as -p<password>")
        let startCommands = try #require(
            steps.first { $0["id"] as? String == "start-new" }?["manualCommands"] as? [String])
        let shellCheck = try Sandbox.run("sh", ["-n", "-c", startCommands.joined(separator: "\n")])
        #expect(shellCheck.status == 0, "the docker run command does not parse: \(shellCheck.stderr)")
        #expect(try deployment.isRunning())
    }

    @Test("the text plan ends with Ready and names the route")
    func textPlan() throws {
        let deployment = try Sandbox.deployFixture(heartbeatRows: 100)
        defer { deployment.removeAll() }
        let workDir = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: workDir) }
        let result = try CLI.run([
            "plan", "--container", deployment.containerName, "--image", Sandbox.fixtureImage("3.3.0"),
            "--name", Sandbox.uniqueName("oms_new"), "--work-dir", workDir.path,
        ])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Route: 3.2.2-CE -> 3.3.0-CE"))
        #expect(result.stdout.contains("Ready: every check passed."))
    }
}
