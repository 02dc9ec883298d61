import Foundation
import SandboxSupport
import Testing

extension RunHardening {
    /// Secrets and files (issue 8 items 5, 6, 7): secret env values stay out of every output and
    /// argv, the work directory is never chmod'ed, option files holding the password never outlive
    /// a signal or a SIGKILL.
    @Suite("secrets and files", .serialized, .integration, .tags(.mariadb, .docker))
    struct SecretsAndFilesTests {
        @Test("-e API_TOKEN=<secret>: the secret is in no output, file or argv; the new container has it")
        func secretEnvironment() throws {
            let secret = "tok-\(UUID().uuidString)"
            let envFile = try Sandbox.makePrivateTempDirectory().appending(path: "env")
            try Sandbox.writePrivateFile(envFile, contents: "API_TOKEN=\(secret)\n")
            defer { try? FileManager.default.removeItem(at: envFile.deletingLastPathComponent()) }
            let deployment = try Sandbox.deployFixture(
                heartbeatRows: 500, projectRows: 20,
                extraArgs: ["--env-file", envFile.path])
            let scenario = UpgradeScenario(
                deployment: deployment, workDir: try Sandbox.makePrivateTempDirectory(),
                newName: Sandbox.uniqueName("oms_new"))
            defer { scenario.cleanup() }

            let plan = try CLI.run([
                "plan", "--container", deployment.containerName,
                "--image", Sandbox.fixtureImage("3.3.0"),
                "--name", scenario.newName, "--work-dir", scenario.workDir.path, "--json",
            ])
            #expect(plan.status == 0, "\(plan)")
            #expect(plan.stdout.contains("API_TOKEN"), "the name is shown")
            #expect(!plan.stdout.contains(secret) && !plan.stderr.contains(secret), "plan --json holds no secret value")

            // Watch every process's argv while the upgrade runs.
            let seen = ArgvWatch(secret: secret)
            seen.start()
            let result = try scenario.apply(["--log-level", "debug"])
            seen.stop()
            #expect(result.status == 0, "\(result)")
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "no output holds the secret")
            #expect(!seen.found, "no process's argv held the secret")
            #expect(result.stderr.contains("-e API_TOKEN"), "the CLI got the bare name: \(result.stderr.suffix(2000))")

            let runs = scenario.workDir.appending(path: "runs")
            let enumerator = FileManager.default.enumerator(atPath: runs.path)
            while let file = enumerator?.nextObject() as? String {
                let url = runs.appending(path: file)
                guard let data = try? Data(contentsOf: url) else { continue }
                #expect(!String(decoding: data, as: UTF8.self).contains(secret), "\(file) holds no secret")
            }
            let env = try Sandbox.runChecked(
                "docker", ["inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", scenario.newName])
            #expect(env.contains("API_TOKEN=\(secret)"), "the new container received the value")
        }

        @Test("plan --work-dir on an existing directory leaves its mode; apply keeps everything in a private runs/")
        func workDirectoryNotChmodded() throws {
            let scenario = try UpgradeScenario(heartbeatRows: 200, projectRows: 10)
            defer { scenario.cleanup() }
            chmod(scenario.workDir.path, 0o755)
            let plan = try CLI.run([
                "plan", "--container", scenario.deployment.containerName,
                "--image", Sandbox.fixtureImage("3.3.0"),
                "--name", scenario.newName, "--work-dir", scenario.workDir.path,
            ])
            #expect(plan.status == 0, "\(plan)")
            #expect(try mode(scenario.workDir) == 0o755, "plan never chmods the work directory")
            let applied = try scenario.apply()
            #expect(applied.status == 0, "\(applied)")
            #expect(try mode(scenario.workDir) == 0o755, "apply never chmods the work directory")
            #expect(try mode(scenario.workDir.appending(path: "runs")) == 0o700)
            #expect(!FileManager.default.fileExists(atPath: scenario.workDir.appending(path: "lock").path))
        }

        @Test("backup --out into an existing directory open to others is refused and the directory keeps its mode")
        func backupOutNotChmodded() throws {
            let scenario = try UpgradeScenario(heartbeatRows: 200, projectRows: 10)
            defer { scenario.cleanup() }
            let out = scenario.workDir.appending(path: "shared-out")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            chmod(out.path, 0o777)
            let result = try CLI.run(["backup", "--container", scenario.deployment.containerName, "--out", out.path])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains(out.path), "\(result)")
            #expect(try mode(out) == 0o777)
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
        }

        @Test("SIGTERM and SIGKILL during a --dumper mysqldump backup: no option file outlives the process")
        func optionFilesAfterSignals() throws {
            let scenario = try UpgradeScenario(heartbeatRows: 1_200_000, projectRows: 2000)
            defer { scenario.cleanup() }
            let tmp = try Sandbox.makePrivateTempDirectory()
            defer { try? FileManager.default.removeItem(at: tmp) }
            let secrets = tmp.appending(path: "oms-upgrade-\(geteuid())")
            func optionFiles() -> [String] {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: secrets.path)) ?? []
                return names.filter { $0.hasSuffix(".cnf") }
            }
            func backup(_ name: String) throws -> CLI.Running {
                try CLI.start(
                    [
                        "backup", "--container", scenario.deployment.containerName, "--dumper", "mysqldump",
                        "--out", scenario.workDir.appending(path: name).path,
                    ], environment: ["TMPDIR": tmp.path])
            }

            // Signal while the heartbeat database (the large one, dumped last) is being dumped; 1.2M
            // rows keep mysqldump busy for seconds (300k lasted 0.4-0.7 s: the signal could come late).
            func dumpingHeartbeat() -> Bool {
                let pattern = "defaults-extra-file=\(secrets.path).*\(scenario.deployment.cmHeartbeatDatabase)"
                let found = try? Sandbox.run("pgrep", ["-f", pattern])
                return !(found?.stdout.isEmpty ?? true) && !optionFiles().isEmpty
            }
            let terminated = try backup("b1")
            #expect(eventually(timeout: 120) { dumpingHeartbeat() }, "the dump started with its option file")
            terminated.terminate()
            let result = terminated.wait()
            #expect(result.status == 143, "\(result)")
            #expect(optionFiles().isEmpty, "SIGTERM removed the option file")
            let dumps = try Sandbox.run("pgrep", ["-f", "defaults-extra-file=\(secrets.path)"])
            #expect(dumps.stdout.isEmpty, "no dump program of the backup is left running: \(dumps.stdout)")

            let killed = try backup("b2")
            #expect(eventually(timeout: 120) { dumpingHeartbeat() })
            kill(killed.processIdentifier, SIGKILL)
            _ = killed.wait()
            #expect(!optionFiles().isEmpty, "SIGKILL cannot remove it...")
            let next = try CLI.run(
                [
                    "backup", "--container", scenario.deployment.containerName, "--dumper", "mysqldump",
                    "--out", scenario.workDir.appending(path: "b3").path,
                ],
                environment: ["TMPDIR": tmp.path])
            #expect(next.status == 0, "\(next)")
            #expect(optionFiles().isEmpty, "...the next start sweeps it")
        }

        private func mode(_ url: URL) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
    }
}

/// Polls every process's argv (/proc/*/cmdline) in the background for a secret.
final class ArgvWatch: @unchecked Sendable {
    private let secret: String
    private let lock = NSLock()
    private var running = false
    private var hit = false
    private var thread: Thread?

    init(secret: String) { self.secret = secret }

    var found: Bool { lock.withLock { hit } }

    func start() {
        lock.withLock { running = true }
        let thread = Thread { [self] in
            let needle = Data(secret.utf8)
            while lock.withLock({ running }) {
                for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(pid) != nil {
                    let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
                    if let data, data.range(of: needle) != nil {
                        lock.withLock { hit = true }
                    }
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        self.thread = thread
        thread.start()
    }

    func stop() {
        lock.withLock { running = false }
        Thread.sleep(forTimeInterval: 0.05)
    }
}
