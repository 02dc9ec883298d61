/// The new container's spec cannot be built from what is known; printed as one actionable sentence.
public struct NewContainerSpecError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What is missing or wrong.
    public enum Problem: Sendable, Equatable {
        /// Neither --host-ip nor the old container's OMS_HOST_IP.
        case noHostIP
        /// The name is not one Docker accepts.
        case invalidName(String)
        /// No name given and the release is unknown.
        case cannotDeriveName
        /// A path that must be absolute is not.
        case relativePath(String)
    }

    /// The old container's name.
    public var container: String
    /// What is missing or wrong.
    public var problem: Problem

    /// Creates an error.
    public init(container: String, problem: Problem) {
        self.container = container
        self.problem = problem
    }

    public var description: String {
        switch problem {
        case .noHostIP:
            return
                "Container \(container) sets no OMS_HOST_IP and no --host-ip was given: pass --host-ip with this host's IP address."
        case .invalidName(let name):
            return
                "\(name) is not a valid container name: use letters, digits, '_', '.' and '-', starting with a letter or digit (e.g. oms_330)."
        case .cannotDeriveName:
            return
                "The new container's name cannot be derived because the new image's tag names no release: pass --name (e.g. oms_330) or --to-version."
        case .relativePath(let path):
            return "\(path) is not an absolute path: Docker mounts only absolute host paths; give the full path."
        }
    }
}
