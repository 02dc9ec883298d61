import Foundation

/// An OMS 3.2.2-CE fixture deployment made by `scripts/deploy-fixture.sh`: a container
/// running `oms-fixture:3.2.2` with the guide's flags, its host dir (config.yaml and the
/// mounts `oms_logs`, `oms_store`, `oms_run`) and its three metadata databases.
public struct FixtureDeployment: Sendable, CustomStringConvertible {
    /// The container's name.
    public var containerName: String
    /// The host dir holding `config.yaml`, `oms_logs/`, `oms_store/`, `oms_run/`.
    public var directory: URL
    /// The host path of config.yaml (mounted at /home/admin/conf/config.yaml; 0600).
    public var configPath: URL
    /// The rm database (`<prefix>rm`).
    public var rmDatabase: String
    /// The cm database (`<prefix>cm`).
    public var cmDatabase: String
    /// The cm heartbeat database (`<prefix>cm_hb`).
    public var cmHeartbeatDatabase: String
    /// nginx_server_port: `/oms/health` answers here on 127.0.0.1.
    public var port: Int
    /// The image the container was started from.
    public var image: String
    /// The metadata server holding the three databases.
    public var server: MetadataServer

    /// Creates a value by hand (tests normally use ``Sandbox/deployFixture(name:dbPrefix:port:heartbeatRows:projectRows:extraArgs:)``).
    public init(
        containerName: String, directory: URL, configPath: URL, rmDatabase: String, cmDatabase: String,
        cmHeartbeatDatabase: String, port: Int, image: String, server: MetadataServer = .mariadb
    ) {
        self.containerName = containerName
        self.directory = directory
        self.configPath = configPath
        self.rmDatabase = rmDatabase
        self.cmDatabase = cmDatabase
        self.cmHeartbeatDatabase = cmHeartbeatDatabase
        self.port = port
        self.image = image
        self.server = server
    }

    /// The sandbox's admin account on the server holding this deployment's databases.
    public func mysql() throws -> SandboxMySQL { try Sandbox.mysql(server) }

    /// The three metadata databases: rm, cm, cm_hb.
    public var databases: [String] { [rmDatabase, cmDatabase, cmHeartbeatDatabase] }
    /// Host side of /home/admin/logs.
    public var logsDirectory: URL { directory.appendingPathComponent("oms_logs") }
    /// Host side of /home/ds/store (where the `.fixture-*` flag files go).
    public var storeDirectory: URL { directory.appendingPathComponent("oms_store") }
    /// Host side of /home/ds/run.
    public var runDirectory: URL { directory.appendingPathComponent("oms_run") }
    /// `http://127.0.0.1:<port>/oms/health`.
    public var healthURL: URL { URL(string: "http://127.0.0.1:\(port)/oms/health")! }

    /// A short summary.
    public var description: String {
        "\(containerName) (\(image), port \(port), dbs \(databases.joined(separator: ",")) on \(server), dir \(directory.path))"
    }

    /// Creates (or, with `false`, removes) one of the fixture's flag files on the store
    /// mount: `.fixture-fail-init`, `.fixture-never-healthy`, `.fixture-init-sleep`
    /// (`contents` is the number of seconds for the last one).
    public func setFlag(_ name: String, _ on: Bool = true, contents: String = "") throws {
        let url = storeDirectory.appendingPathComponent(name)
        if on {
            try Data(contents.utf8).write(to: url)
        } else if FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.removeItem(at: url)
        }
    }

    /// The body of `/oms/health` (via curl), or nil when nothing answers.
    public func healthBody() -> String? {
        guard let result = try? Sandbox.run("curl", ["-ks", "--max-time", "2", healthURL.absoluteString]),
            result.status == 0
        else { return nil }
        return result.stdout
    }

    /// Whether `/oms/health` says `"healthy":true`.
    public func isHealthy() -> Bool {
        healthBody()?.contains("\"healthy\":true") ?? false
    }

    /// Polls ``isHealthy()`` every 250 ms for up to `timeout` seconds.
    public func waitUntilHealthy(timeout: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if isHealthy() { return true }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return isHealthy()
    }

    /// `docker logs` of the container (stdout and stderr, TTY `\r` removed).
    public func logs(container: String? = nil) throws -> String {
        let result = try Sandbox.run("docker", ["logs", container ?? containerName])
        guard result.status == 0 else { throw SandboxError("docker logs failed: \(result.stderr)") }
        return (result.stdout + result.stderr).replacingOccurrences(of: "\r", with: "")
    }

    /// The last non-empty line of ``logs(container:)``.
    public func lastLogLine(container: String? = nil) throws -> String? {
        try logs(container: container).split(whereSeparator: \.isNewline).last.map(String.init)
    }

    /// The containers whose bind mounts come from this deployment's dir (the fixture's
    /// own and any that an upgrade made from it), by name.
    public func containersUsingDirectory() throws -> [String] {
        let ids = try Sandbox.runChecked("docker", ["ps", "-aq", "--no-trunc"])
            .split(whereSeparator: \.isNewline).map(String.init)
        guard !ids.isEmpty else { return [] }
        let result = try Sandbox.run(
            "docker", ["inspect", "--format", "{{.Name}}\t{{range .Mounts}}{{.Source}}\t{{end}}"] + ids)
        // Containers may vanish between ps and inspect; use what was printed.
        let prefix = directory.standardizedFileURL.path + "/"
        var names: [String] = []
        for line in result.stdout.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: "\t").map(String.init)
            guard let name = fields.first else { continue }
            if fields.dropFirst().contains(where: { $0.hasPrefix(prefix) }) {
                names.append(name.hasPrefix("/") ? String(name.dropFirst()) : name)
            }
        }
        return names
    }

    /// Removes what this deployment made, for test cleanup: the container, any other
    /// container mounting its dir, its three databases, and its dir. Tries every step and
    /// throws the first failure at the end.
    public func remove() throws {
        var firstError: Error?
        func attempt(_ body: () throws -> Void) {
            do { try body() } catch { if firstError == nil { firstError = error } }
        }
        attempt {
            var names = Set([containerName])
            names.formUnion((try? containersUsingDirectory()) ?? [])
            let result = try Sandbox.run("docker", ["rm", "-f"] + names.sorted())
            if result.status != 0 && !result.stderr.contains("No such container") {
                throw SandboxError("docker rm -f failed: \(result.stderr)")
            }
        }
        attempt { try mysql().dropDatabases(databases) }
        attempt {
            let marker = directory.appendingPathComponent(".oms-fixture")
            if FileManager.default.fileExists(atPath: marker.path) {
                try FileManager.default.removeItem(at: directory)
            }
        }
        if let firstError { throw firstError }
    }
}

extension Sandbox {
    /// Runs `scripts/deploy-fixture.sh` and returns the deployment it made.
    ///
    /// - Parameters:
    ///   - name: container name; default a ``uniqueName(_:)`` with prefix `oms_fx`.
    ///   - dbPrefix: database name prefix (`<p>rm`, `<p>cm`, `<p>cm_hb`); default `<name>_`.
    ///   - port: nginx_server_port; default ``freePort()``.
    ///   - heartbeatRows: rows seeded into `heatbeat_sequence` (default 1000; the script's own default is 100000).
    ///   - projectRows: rows in `rm.oms_project` (default 50; the script's own default is 1000).
    ///   - extraArgs: more options for the script, e.g. `["--image", Sandbox.fixtureImage("3.3.0"), "--no-init"]`.
    ///   - server: the metadata server of the three databases (default MariaDB).
    /// - Throws: ``SandboxError`` when the sandbox is not up or the script fails (its stderr in the message).
    public static func deployFixture(
        name: String? = nil, dbPrefix: String? = nil, port: Int? = nil, heartbeatRows: Int = 1000,
        projectRows: Int = 50, extraArgs: [String] = [], server: MetadataServer = .mariadb
    ) throws -> FixtureDeployment {
        let account = try mysql(server)
        try requireFixtureImages()
        let name = name ?? uniqueName("oms_fx")
        let dbPrefix = dbPrefix ?? "\(name)_"
        let port = port ?? freePort()
        let script = scriptsDirectory.appendingPathComponent("deploy-fixture.sh").path
        let args =
            [
                script, "--name", name, "--db-prefix", dbPrefix, "--port", String(port),
                "--heartbeat-rows", String(heartbeatRows), "--project-rows", String(projectRows),
                // The server's account first: extraArgs may name another one (later options win).
                "--meta-host", account.host, "--meta-port", String(account.port), "--meta-user", account.user,
                "--meta-password-file", account.passwordFile.path,
            ] + extraArgs
        let result = try run("bash", args)
        guard result.status == 0 else {
            let tail = result.stderr.split(whereSeparator: \.isNewline).suffix(15).joined(separator: "\n")
            throw SandboxError("scripts/deploy-fixture.sh failed (status \(result.status)) for \(name):\n\(tail)")
        }
        var values: [String: String] = [:]
        for line in result.stdout.split(whereSeparator: \.isNewline) {
            guard let eq = line.firstIndex(of: "=") else { continue }
            values[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        guard let container = values["container"], let dir = values["dir"], let config = values["config"],
            let rm = values["rm_db"], let cm = values["cm_db"], let hb = values["cm_hb_db"],
            let portText = values["port"], let deployedPort = Int(portText), let image = values["image"]
        else {
            throw SandboxError("scripts/deploy-fixture.sh printed no deployment summary:\n\(result.stdout)")
        }
        return FixtureDeployment(
            containerName: container, directory: URL(fileURLWithPath: dir), configPath: URL(fileURLWithPath: config),
            rmDatabase: rm, cmDatabase: cm, cmHeartbeatDatabase: hb, port: deployedPort, image: image, server: server)
    }
}
