/// What the operator chose for the new container; everything else is inherited from the old one.
public struct NewContainerOptions: Sendable, Equatable {
    /// The new image reference (e.g. `oms:feature_3.3.0_ce`).
    public var image: String
    /// `--name`; default: from the release (`oms_330`).
    public var name: String?
    /// `--host-ip`; default: the old container's OMS_HOST_IP.
    public var hostIP: String?
    /// `--ssl-cert` / `--ssl-key`; default: the old container's pair, if any.
    public var sslPair: SSLPair?
    /// `--to-version`, when the image tag does not tell.
    public var targetVersion: OMSVersion?
    /// The route taken: its extras (env) go onto the new container.
    public var route: UpgradeRoute?

    /// Creates options.
    public init(
        image: String, name: String? = nil, hostIP: String? = nil, sslPair: SSLPair? = nil,
        targetVersion: OMSVersion? = nil, route: UpgradeRoute? = nil
    ) {
        self.image = image
        self.name = name
        self.hostIP = hostIP
        self.sslPair = sslPair
        self.targetVersion = targetVersion
        self.route = route
    }
}
