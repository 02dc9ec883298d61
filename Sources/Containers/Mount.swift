/// One mount of a container: a host path (or named volume) seen at a path inside it.
public struct Mount: Sendable, Codable, Hashable {
    /// The kind of mount, as the engine reports it.
    public enum Kind: String, Sendable, Codable, Hashable {
        /// A host path bound into the container (`-v /host:/ctr`).
        case bind
        /// A named or anonymous volume (`-v name:/ctr`).
        case volume
        /// A memory file system.
        case tmpfs
        /// Anything else the engine reports.
        case other
    }

    /// The host path (for a bind) or the volume's path on the engine host (for a volume).
    public var source: String
    /// The path inside the container.
    public var destination: String
    /// Whether the container sees it read-only.
    public var readOnly: Bool
    /// Bind, volume, ...
    public var type: Kind
    /// The volume's name, for volumes.
    public var volumeName: String?

    /// Creates a mount.
    public init(
        source: String, destination: String, readOnly: Bool = false, type: Kind = .bind, volumeName: String? = nil
    ) {
        self.source = source
        self.destination = destination
        self.readOnly = readOnly
        self.type = type
        self.volumeName = volumeName
    }

    /// Whether this is a volume the engine named itself (64 hex digits): such a volume
    /// belongs to the old image's `VOLUME` declarations, not to the operator.
    public var isAnonymousVolume: Bool {
        guard type == .volume, let name = volumeName else { return false }
        return name.count == 64 && name.allSatisfy(\.isHexDigit)
    }

    /// Parses a `HostConfig.Binds` entry: `source:destination[:options]`.
    public init?(bindSpecification: String) {
        let parts = bindSpecification.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        let options = parts.count > 2 ? parts[2].split(separator: ",").map(String.init) : []
        let isPath = parts[0].hasPrefix("/")
        self.init(
            source: parts[0],
            destination: parts[1],
            readOnly: options.contains("ro"),
            type: isPath ? .bind : .volume,
            volumeName: isPath ? nil : parts[0]
        )
    }
}
