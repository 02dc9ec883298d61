import Foundation
import Logging
import SandboxSupport
import Testing

@testable import UpgradeEngine

/// `apply`, `resume` and `rollback --node ...` on the multi-node test bed: every node upgraded and
/// rolled back together, crashes and a node's engine going away mid-run.
///
/// Nested in ``MultiNodePlanTests``, serialized with it and holding the bed lock (`.nodeBed`): one
/// test stops a node's engine, which would break another test using that node.
extension MultiNodePlanTests {
    @Suite("Multi-node upgrade on the test bed")
    struct Upgrade {
        /// `apply --node ...` with the deployment's own new container name.
        static func applyArguments(
            _ deployment: MultiNodeDeployment, image: String = Sandbox.fixtureImage("3.3.0"), workDir: URL
        ) -> [String] {
            [
                "apply", "--container", deployment.containerName, "--image", image, "--name",
                deployment.newContainerName, "--work-dir", workDir.path, "--yes", "--health-timeout", "60",
            ] + deployment.nodeArguments
        }

        /// Runs `apply --node ...` to its end.
        static func apply(
            _ deployment: MultiNodeDeployment, image: String = Sandbox.fixtureImage("3.3.0"),
            workDir: URL, environment: [String: String] = [:]
        ) throws -> CLI.Result {
            try CLI.run(applyArguments(deployment, image: image, workDir: workDir), environment: environment)
        }

        /// rm and cm without the rows every node's fixture writer owns.
        static func fingerprint(_ deployment: MultiNodeDeployment) throws -> DataFingerprint {
            try DataFingerprint.take(
                rmDatabase: deployment.rmDatabase, cmDatabase: deployment.cmDatabase, server: deployment.server)
        }

        static func command(_ name: String, workDir: URL) throws -> CLI.Result {
            try CLI.run([name, "--work-dir", workDir.path] + (name == "rollback" ? ["--yes"] : []))
        }

        /// `name running` or `name exited` for the deployment's old and new container on every node.
        static func containers(_ deployment: MultiNodeDeployment) -> [String] {
            deployment.nodes.map { node in
                let names = [deployment.containerName, deployment.newContainerName]
                let states = names.map { name in
                    let result = try? Sandbox.run(
                        "docker", ["-H", node.endpoint, "inspect", "--format", "{{.State.Status}}", name])
                    let state = result.map { $0.status == 0 ? $0.stdout : "absent" } ?? "absent"
                    return "\(name)=\(state.trimmingCharacters(in: .whitespacesAndNewlines))"
                }
                return "\(node.ip) " + states.joined(separator: " ")
            }
        }

        /// What ``containers(_:)`` shows when the old containers (or the new ones) run on every node.
        static func expected(_ deployment: MultiNodeDeployment, newRunning: Bool) -> [String] {
            let (old, new) = newRunning ? ("exited", "running") : ("running", "exited")
            return deployment.nodes.map { node in
                "\(node.ip) \(deployment.containerName)=\(old) \(deployment.newContainerName)=\(new)"
            }
        }

        /// The bed's nodes, a fresh deployment on them and a private work directory, for one test.
        struct Bed {
            let nodes: [NodeBed.Node]
            let deployment: MultiNodeDeployment
            let workDir: URL

            init(layout: String, server: MetadataServer = .mariadb) throws {
                nodes = try NodeBed.require(nodes: 3)
                deployment = try NodeBed.deploy(layout: layout, server: server)
                workDir = try Sandbox.makePrivateTempDirectory()
            }

            func remove() {
                try? deployment.remove()
                try? FileManager.default.removeItem(at: workDir)
            }
        }

        /// The OMS_HOST_IP each node's new container runs with.
        static func newHostIPs(_ deployment: MultiNodeDeployment) throws -> [String] {
            try deployment.nodes.map { node in
                let env = try Sandbox.runChecked(
                    "docker",
                    [
                        "-H", node.endpoint, "inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}",
                        deployment.newContainerName,
                    ])
                return env.split(whereSeparator: \.isNewline).first { $0.hasPrefix("OMS_HOST_IP=") }
                    .map { String($0.dropFirst("OMS_HOST_IP=".count)) } ?? "-"
            }
        }

        /// `metadata version`: 3.3.0-CE once init ran, 3.2.2 (no oms_version table) before and after a rollback.
        static func metadataVersion(_ deployment: MultiNodeDeployment) throws -> String {
            let mysql = try Sandbox.mysql(deployment.server)
            let exists = try mysql.scalar(
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                    + "\(SandboxMySQL.quoteString(deployment.rmDatabase)) AND TABLE_NAME = 'oms_version'")
            guard exists == "1" else { return "3.2.2" }
            return try mysql.scalar("SELECT MAX(version) FROM oms_version", database: deployment.rmDatabase) ?? "?"
        }

        /// The newest run's directory under `workDir`.
        static func runDirectory(_ workDir: URL) throws -> URL {
            let runs = workDir.appending(path: "runs")
            let names = try FileManager.default.contentsOfDirectory(atPath: runs.path).sorted()
            return runs.appending(path: try #require(names.last))
        }

        @Test(
            "two regions x one node: upgrade both (init once per region, each node its own OMS_HOST_IP), roll both back",
            arguments: MetadataServer.allCases)
        func twoRegionsUpgradeAndRollback(_ server: MetadataServer) throws {
            let run = try Bed(layout: "2x1", server: server)
            defer { run.remove() }
            let (bed, deployment, workDir) = (run.nodes, run.deployment, run.workDir)
            let before = try Self.fingerprint(deployment)
            let initsBefore = try deployment.nodes.map { try MultiNodePlanTests.initPlacements($0).count }

            let applied = try Self.apply(deployment, workDir: workDir)
            #expect(applied.status == 0, "\(applied)")
            #expect(Self.containers(deployment) == Self.expected(deployment, newRunning: true))
            #expect(try Self.newHostIPs(deployment) == [bed[0].ip, bed[1].ip])
            #expect(try Self.metadataVersion(deployment) == "3.3.0-CE")
            // Init ran once more in each region, on that region's node.
            let inits = try deployment.nodes.map { try MultiNodePlanTests.initPlacements($0) }
            #expect(inits.map(\.count) == initsBefore.map { $0 + 1 })
            #expect(inits[0].last?.contains("OMS_HOST_IP=\(bed[0].ip) cm_location=0") == true)
            #expect(inits[1].last?.contains("OMS_HOST_IP=\(bed[1].ip) cm_location=1") == true)
            // The run's plan.json counts every region's heartbeat rows as pruned (1000 seeded in each).
            let planFile = try Self.runDirectory(workDir).appending(path: "plan.json")
            let written = try JSONSerialization.jsonObject(with: Data(contentsOf: planFile)) as? [String: Any]
            #expect((written?["heartbeatRowsToPrune"] as? Int ?? 0) > 1500, "\(written?["heartbeatRowsToPrune"] ?? "")")
            // The verified backup holds every region's heartbeat database.
            let backup = try Self.runDirectory(workDir).appending(path: "backup")
            let files = try FileManager.default.contentsOfDirectory(atPath: backup.path)
            for database in deployment.databases { #expect(files.contains("\(database).sql"), "\(files)") }

            let rolledBack = try Self.command("rollback", workDir: workDir)
            #expect(rolledBack.status == 0, "\(rolledBack)")
            #expect(Self.containers(deployment) == Self.expected(deployment, newRunning: false))
            #expect(try Self.metadataVersion(deployment) == "3.2.2")
            #expect(try Self.fingerprint(deployment) == before)
        }

        @Test("one region x three nodes: upgrade all three with init on the first only, then roll all back")
        func oneRegionThreeNodesUpgradeAndRollback() throws {
            let run = try Bed(layout: "1x3")
            defer { run.remove() }
            let (bed, deployment, workDir) = (run.nodes, run.deployment, run.workDir)
            let before = try Self.fingerprint(deployment)

            let applied = try Self.apply(deployment, workDir: workDir)
            #expect(applied.status == 0, "\(applied)")
            #expect(applied.stderr.contains("Running /root/docker_init.sh on node \(bed[0].ip)"))
            #expect(!applied.stderr.contains("docker_init.sh on node \(bed[1].ip)"))
            #expect(!applied.stderr.contains("docker_init.sh on node \(bed[2].ip)"))
            #expect(Self.containers(deployment) == Self.expected(deployment, newRunning: true))
            #expect(try Self.newHostIPs(deployment) == bed.map(\.ip))
            #expect(try MultiNodePlanTests.initPlacements(deployment.nodes[0]).count == 2)
            #expect(try MultiNodePlanTests.initPlacements(deployment.nodes[1]).isEmpty)
            #expect(try MultiNodePlanTests.initPlacements(deployment.nodes[2]).isEmpty)

            let rolledBack = try Self.command("rollback", workDir: workDir)
            #expect(rolledBack.status == 0, "\(rolledBack)")
            #expect(Self.containers(deployment) == Self.expected(deployment, newRunning: false))
            #expect(try Self.fingerprint(deployment) == before)
        }

        @Test("SIGKILL inside init on two regions, then resume finishes every node")
        func killedThenResumed() throws {
            let run = try Bed(layout: "2x1")
            defer { run.remove() }
            let (bed, deployment, workDir) = (run.nodes, run.deployment, run.workDir)

            // The fourth init line: inside the first region's migration.
            let killed = try Self.apply(
                deployment, workDir: workDir, environment: ["OMS_UPGRADE_FAULT_KILL": "init.mid#4"])
            #expect(killed.status == 137, "\(killed)")
            let resumed = try Self.command("resume", workDir: workDir)
            #expect(resumed.status == 0, "\(resumed)")
            #expect(resumed.stderr.contains("An earlier init was interrupted"), "\(resumed)")
            #expect(Self.containers(deployment) == Self.expected(deployment, newRunning: true))
            #expect(try Self.newHostIPs(deployment) == [bed[0].ip, bed[1].ip])
            #expect(try Self.metadataVersion(deployment) == "3.3.0-CE")
        }

        @Test("SIGKILL while waiting for health on three nodes, then rollback restores every node and the data")
        func killedThenRolledBack() throws {
            let run = try Bed(layout: "1x3")
            defer { run.remove() }
            let (deployment, workDir) = (run.deployment, run.workDir)
            let before = try Self.fingerprint(deployment)

            let killed = try Self.apply(
                deployment, workDir: workDir, environment: ["OMS_UPGRADE_FAULT_KILL": "health.started"])
            #expect(killed.status == 137, "\(killed)")
            let rolledBack = try Self.command("rollback", workDir: workDir)
            #expect(rolledBack.status == 0, "\(rolledBack)")
            #expect(Self.containers(deployment) == Self.expected(deployment, newRunning: false))
            #expect(try Self.metadataVersion(deployment) == "3.2.2")
            #expect(try Self.fingerprint(deployment) == before)
        }

        @Test("apply with a node missing the new image is refused before anything changes, naming the node")
        func applyRefusedWhenANodeLacksTheImage() throws {
            let run = try Bed(layout: "1x3")
            defer { run.remove() }
            let (bed, deployment, workDir) = (run.nodes, run.deployment, run.workDir)
            let image = "\(deployment.containerName)-img:3.3.0"
            for node in bed.prefix(2) { try NodeBed.docker(node, ["tag", Sandbox.fixtureImage("3.3.0"), image]) }
            defer { for node in bed.prefix(2) { _ = try? NodeBed.docker(node, ["rmi", image]) } }

            let before = try MultiNodePlanTests.state(deployment)
            let result = try Self.apply(deployment, image: image, workDir: workDir)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("Node \(bed[2].ip): the image \(image) is not present"), "\(result)")
            #expect(result.stderr.contains("nothing was changed"), "\(result)")
            #expect(try MultiNodePlanTests.state(deployment) == before)
            let runs = workDir.appending(path: "runs")
            #expect((try? FileManager.default.contentsOfDirectory(atPath: runs.path))?.isEmpty ?? true)
        }

        @Test("a run whose config.yaml is not visible here reads it out of a node's stopped old container")
        func runConfigThroughTheEngine() async throws {
            _ = try NodeBed.require(nodes: 3)
            let deployment = try NodeBed.deploy(layout: "2x1")
            defer { try? deployment.remove() }
            let planned = try MultiNodePlanTests.plan(deployment)
            #expect(planned.status == 0, "\(planned)")
            let multiNode = try MultiNodePlanTests.decodePlan(planned.stdout)
            #expect(multiNode.nodeTargets.map(\.ip) == deployment.nodes.map(\.ip))
            // The old containers are stopped, as they are during a run.
            for node in deployment.nodes {
                _ = try Sandbox.runChecked(
                    "docker", ["-H", node.endpoint, "stop", "-t", "5", deployment.containerName])
            }
            var plan = UpgradePlan.sample(container: deployment.containerName, image: "x:3.3.0")
            plan.configPath = "/nonexistent/\(deployment.containerName)/config.yaml"
            plan.nodes = multiNode.nodeTargets
            let config = try await RunConfig.load(plan, logger: Logger(label: "test"))
            #expect(config.databases.rm == deployment.rmDatabase)
            #expect(config.databases.cmHeartbeat == deployment.heartbeatDatabases[0])

            plan.nodes = [UpgradePlan.sample(container: deployment.containerName).firstNode]
            await #expect(throws: (any Error).self) { try await RunConfig.load(plan, logger: Logger(label: "test")) }
        }

        @Test("a node's engine going away mid-run rolls every node back; rollback finishes that node once it is back")
        func engineGoneMidRunRollsBackAll() throws {
            let run = try Bed(layout: "1x3")
            defer { run.remove() }
            let (bed, deployment, workDir) = (run.nodes, run.deployment, run.workDir)
            let before = try Self.fingerprint(deployment)
            let pause = workDir.appending(path: "pause").path

            let running = try CLI.start(
                Self.applyArguments(deployment, workDir: workDir),
                environment: ["OMS_UPGRADE_FAULT_PAUSE": "init.started:\(pause)"])
            var paused = false
            for _ in 0..<1200 where !paused {
                paused = FileManager.default.fileExists(atPath: pause)
                if !paused { usleep(100_000) }
            }
            #expect(paused, "apply never reached init")
            // Node 3's engine goes away with the new containers started everywhere.
            var restarted = false
            defer { if !restarted { _ = try? NodeBed.require(nodes: 3) } }
            try NodeBed.stopEngine(bed[2])
            try FileManager.default.removeItem(atPath: pause)
            let failed = running.wait()
            #expect(failed.status == 1, "\(failed)")
            #expect(failed.stderr.contains("node(s) \(bed[2].ip) could not be rolled back"), "\(failed)")
            // Every reachable node is back on the old version, on the pre-upgrade metadata.
            let reachable = Self.containers(deployment).prefix(2)
            #expect(Array(reachable) == Array(Self.expected(deployment, newRunning: false).prefix(2)))
            #expect(try Self.metadataVersion(deployment) == "3.2.2")
            let status = try CLI.run(["status", "--work-dir", workDir.path])
            #expect(status.stdout.contains("\(bed[2].ip) (rollback unfinished)"), "\(status)")

            _ = try NodeBed.require(nodes: 3)
            restarted = true
            let finished = try Self.command("rollback", workDir: workDir)
            #expect(finished.status == 0, "\(finished)")
            #expect(Self.containers(deployment) == Self.expected(deployment, newRunning: false))
            #expect(try Self.fingerprint(deployment) == before)
        }
    }
}
