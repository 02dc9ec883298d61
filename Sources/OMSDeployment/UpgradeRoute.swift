/// One documented way from a source release to a target release, with what it demands.
public struct UpgradeRoute: Sendable, Codable, Equatable {
    /// The running release.
    public var from: OMSVersion
    /// The release to install.
    public var to: OMSVersion
    /// Whether HA (rm's `ha.config`) must be disabled before and re-enabled after.
    public var haOffDuringUpgrade: Bool
    /// Whether every node of the region must be stopped and upgraded.
    public var allNodes: Bool
    /// Environment variables the new container needs (some only field-reported: see `confirmed`).
    public var env: [RouteEnvironmentVariable]
    /// What the vendor's documents add, for the plan.
    public var notes: [String]

    /// Creates a route.
    public init(
        from: OMSVersion, to: OMSVersion, haOffDuringUpgrade: Bool = false, allNodes: Bool = false,
        env: [RouteEnvironmentVariable] = [], notes: [String] = []
    ) {
        self.from = from
        self.to = to
        self.haOffDuringUpgrade = haOffDuringUpgrade
        self.allNodes = allNodes
        self.env = env
        self.notes = notes
    }
}

/// An environment variable a route adds to the new container.
public struct RouteEnvironmentVariable: Sendable, Codable, Hashable {
    /// Its name.
    public var name: String
    /// Its value.
    public var value: String
    /// False when only field reports, not the vendor's guides, ask for it.
    public var confirmed: Bool
    /// Where it comes from.
    public var note: String?

    /// Creates a variable.
    public init(name: String, value: String, confirmed: Bool = true, note: String? = nil) {
        self.name = name
        self.value = value
        self.confirmed = confirmed
        self.note = note
    }
}
