/// Everything `docker run -d` needs to create a container, and its exact argv.
///
/// Environment variables whose names look secret (see ``SecretNames``) are passed as a bare
/// `-e NAME`, which makes the CLI take the value from its own environment: the value never
/// appears in argv (`ps`), logs or printed commands. ``passedThroughEnvironment`` lists them
/// for the engine to set.
public struct ContainerRunSpec: Sendable, Codable, Equatable {
    /// `--name`.
    public var name: String
    /// The image reference.
    public var image: String
    /// `-v` mounts, in order.
    public var mounts: [Mount]
    /// `-e` variables, in order.
    public var env: [EnvVar]
    /// `--net`; nil or empty leaves the engine's default.
    public var networkMode: String?
    /// `--privileged=true` when set.
    public var privileged: Bool
    /// `--pids-limit`; nil leaves the engine's default, <= 0 is passed as `-1` (unlimited).
    public var pidsLimit: Int?
    /// `--ulimit` settings.
    public var ulimits: [Ulimit]
    /// `--restart`.
    public var restartPolicy: RestartPolicy
    /// `--label` entries (sorted by key in the argv).
    public var labels: [String: String]
    /// `-p` entries.
    public var portBindings: [PortBinding]
    /// `--cap-add` entries.
    public var capAdd: [String]
    /// `-i` (the vendor guide runs OMS with `-dit`).
    public var interactive: Bool
    /// `-t`.
    public var tty: Bool

    /// Creates a spec; defaults follow the vendor guide (`-dit --net host`).
    public init(
        name: String, image: String, mounts: [Mount] = [], env: [EnvVar] = [],
        networkMode: String? = "host", privileged: Bool = false, pidsLimit: Int? = nil,
        ulimits: [Ulimit] = [], restartPolicy: RestartPolicy = .no, labels: [String: String] = [:],
        portBindings: [PortBinding] = [], capAdd: [String] = [], interactive: Bool = true, tty: Bool = true
    ) {
        self.name = name
        self.image = image
        self.mounts = mounts
        self.env = env
        self.networkMode = networkMode
        self.privileged = privileged
        self.pidsLimit = pidsLimit
        self.ulimits = ulimits
        self.restartPolicy = restartPolicy
        self.labels = labels
        self.portBindings = portBindings
        self.capAdd = capAdd
        self.interactive = interactive
        self.tty = tty
    }

    /// The variables passed as bare `-e NAME` whose values the engine must put in the CLI's environment.
    public var passedThroughEnvironment: [String: String] {
        var result: [String: String] = [:]
        for variable in env where variable.looksSecret { result[variable.name] = variable.value }
        return result
    }

    /// The exact argv after the executable: `["run", "-dit", "--net", "host", ...]`, one flag
    /// and its value per pair, in the vendor guide's order.
    public func dockerArguments() -> [String] {
        argumentGroups().flatMap { $0 }
    }

    /// The exact argv of `docker create` for the same container: ``dockerArguments()`` without `-d`.
    ///
    /// A created container is started later with `docker start`, which then behaves as `run -d` would.
    public func dockerCreateArguments() -> [String] {
        argumentGroups(creating: true).flatMap { $0 }
    }

    /// The argv grouped as printed: one group per line of ``shellCommand(executable:)``; `creating`
    /// makes it `docker create`'s (no `-d`).
    func argumentGroups(creating: Bool = false) -> [[String]] {
        var groups: [[String]] = []
        let flags = (creating ? "" : "d") + (interactive ? "i" : "") + (tty ? "t" : "")
        var head = [creating ? "create" : "run"]
        if !flags.isEmpty { head.append("-" + flags) }
        if let networkMode, !networkMode.isEmpty { head += ["--net", networkMode] }
        groups.append(head)
        for mount in mounts { groups.append(Self.mountArguments(mount)) }
        for variable in env {
            groups.append(["-e", variable.looksSecret ? variable.name : "\(variable.name)=\(variable.value)"])
        }
        if privileged { groups.append(["--privileged=true"]) }
        if let pidsLimit { groups.append(["--pids-limit", pidsLimit > 0 ? String(pidsLimit) : "-1"]) }
        for ulimit in ulimits { groups.append(["--ulimit", ulimit.argument]) }
        if let restart = restartPolicy.argument { groups.append(["--restart", restart]) }
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) { groups.append(["--label", "\(key)=\(value)"]) }
        for port in portBindings { groups.append(["-p", port.argument]) }
        for capability in capAdd { groups.append(["--cap-add", capability]) }
        groups.append(["--name", name])
        groups.append([image])
        return groups
    }

    /// `-v source:destination[:ro]`, or `--mount` when a path holds a `:` that `-v` cannot express.
    public static func mountArguments(_ mount: Mount) -> [String] {
        let source = mount.type == .volume ? (mount.volumeName ?? mount.source) : mount.source
        if mount.type == .tmpfs {
            return ["--tmpfs", mount.destination]
        }
        if source.contains(":") || mount.destination.contains(":") {
            func field(_ text: String) -> String {
                text.contains(",") || text.contains("\"") ? "\"" + text.replacingAll("\"", with: "\"\"") + "\"" : text
            }
            var fields = [
                "type=\(mount.type == .volume ? "volume" : "bind")",
                field("source=\(source)"), field("target=\(mount.destination)"),
            ]
            if mount.readOnly { fields.append("readonly") }
            return ["--mount", fields.joined(separator: ",")]
        }
        return ["-v", "\(source):\(mount.destination)" + (mount.readOnly ? ":ro" : "")]
    }
}
