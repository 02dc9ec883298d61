/// What the upgrade needs to know about one container, decoded from `docker inspect`.
///
/// Codable as this struct (for journals and reports), not as Docker's JSON: decode Docker's
/// output with ``ContainerDetails/decode(inspectJSON:)``.
public struct ContainerDetails: Sendable, Codable, Equatable {
    /// The full container id.
    public var id: String
    /// The name, without Docker's leading `/`.
    public var name: String
    /// The image reference the container was created from, as configured (e.g. `oms:feature_3.2.2_ce`).
    public var image: String
    /// The id of that image.
    public var imageID: String
    /// Whether it runs, its pid, exit code and times.
    public var state: ContainerState
    /// Every mount: binds and volumes, from `Mounts` completed by `HostConfig.Binds`.
    public var mounts: [Mount]
    /// The environment, in order (image-provided variables included, as Docker reports them).
    public var env: [EnvVar]
    /// `host`, `bridge`, a network name, `container:<id>`...
    public var networkMode: String
    /// Whether it runs with `--privileged`.
    public var privileged: Bool
    /// The pids limit; nil or <= 0 means unlimited.
    public var pidsLimit: Int?
    /// The `--ulimit` settings.
    public var ulimits: [Ulimit]
    /// The `--restart` policy.
    public var restartPolicy: RestartPolicy
    /// Labels (image-provided labels included, as Docker reports them).
    public var labels: [String: String]
    /// The command (`Config.Cmd`).
    public var cmd: [String]
    /// The entrypoint (`Config.Entrypoint`).
    public var entrypoint: [String]
    /// The working directory, nil when the image's default.
    public var workingDir: String?
    /// The user, nil when the image's default.
    public var user: String?
    /// Whether it was created with `-t`.
    public var tty: Bool
    /// Whether it was created with `-i`.
    public var openStdin: Bool
    /// Published ports (empty with `--net host`).
    public var portBindings: [PortBinding]
    /// Added capabilities (`--cap-add`).
    public var capAdd: [String]

    /// Creates details; tests build these by hand, the engine decodes them from `docker inspect`.
    public init(
        id: String, name: String, image: String, imageID: String = "",
        state: ContainerState = ContainerState(status: "running", running: true),
        mounts: [Mount] = [], env: [EnvVar] = [], networkMode: String = "host",
        privileged: Bool = false, pidsLimit: Int? = nil, ulimits: [Ulimit] = [],
        restartPolicy: RestartPolicy = .no, labels: [String: String] = [:],
        cmd: [String] = [], entrypoint: [String] = [], workingDir: String? = nil, user: String? = nil,
        tty: Bool = false, openStdin: Bool = false, portBindings: [PortBinding] = [], capAdd: [String] = []
    ) {
        self.id = id
        self.name = name.hasPrefix("/") ? String(name.dropFirst()) : name
        self.image = image
        self.imageID = imageID
        self.state = state
        self.mounts = mounts
        self.env = env
        self.networkMode = networkMode
        self.privileged = privileged
        self.pidsLimit = pidsLimit
        self.ulimits = ulimits
        self.restartPolicy = restartPolicy
        self.labels = labels
        self.cmd = cmd
        self.entrypoint = entrypoint
        self.workingDir = workingDir
        self.user = user
        self.tty = tty
        self.openStdin = openStdin
        self.portBindings = portBindings
        self.capAdd = capAdd
    }

    /// The mount whose container path is `destination`, if any.
    public func mount(at destination: String) -> Mount? {
        mounts.first { $0.destination == destination }
    }

    /// The value of the last variable named `name`, if any.
    public func envValue(_ name: String) -> String? {
        env.last { $0.name == name }?.value
    }
}
