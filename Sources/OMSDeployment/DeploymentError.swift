import Containers

/// The container does not look like an OMS deployment this tool can upgrade, or something
/// it mounts is gone; printed as one actionable sentence.
public struct DeploymentError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What is wrong.
    public enum Problem: Sendable, Equatable {
        /// No bind onto /home/admin/conf/config.yaml (nor its directory).
        case noConfigMount
        /// One of the three data mounts is absent.
        case missingDataMount(destination: String)
        /// Only one half of the SSL pair is mounted.
        case halfSSLPair(mounted: String, missing: String)
        /// Mount sources that no longer exist on this host.
        case missingMountSource([Mount])
    }

    /// The container's name.
    public var container: String
    /// What is wrong.
    public var problem: Problem

    /// Creates an error.
    public init(container: String, problem: Problem) {
        self.container = container
        self.problem = problem
    }

    public var description: String {
        switch problem {
        case .noConfigMount:
            return
                "Container \(container) has no bind mount onto \(OMSContainerPaths.config): it does not look like an OMS container; name the OMS container (docker ps -a)."
        case .missingDataMount(let destination):
            return
                "Container \(container) has no mount onto \(destination): an OMS container mounts \(OMSContainerPaths.dataMounts.joined(separator: ", ")); name the OMS container, or recreate it the vendor guide's way first."
        case .halfSSLPair(let mounted, let missing):
            return
                "Container \(container) mounts \(mounted) but not \(missing): mount both halves of the SSL pair (or neither), or pass --ssl-cert and --ssl-key."
        case .missingMountSource(let mounts):
            let list = mounts.map { "\($0.source) (for \($0.destination))" }.joined(separator: ", ")
            return
                "Container \(container) mounts \(list), which no longer exist on this host: restore them, or run oms-upgrade on the host that runs the container."
        }
    }
}
