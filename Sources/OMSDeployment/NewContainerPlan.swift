import Containers
import Foundation

/// The new container to create, how it differs from the vendor guide's `docker run`, and
/// where the old container goes if the name is taken.
public struct NewContainerPlan: Sendable, Codable, Equatable {
    /// The spec to run.
    public var spec: ContainerRunSpec
    /// Every way the spec differs from the guide's reference flags, one sentence each, with the reason.
    public var differences: [String]
    /// When the new name equals the old container's: the name the old container is renamed to
    /// first (it is never removed, so the rollback can start it again).
    public var renameOldTo: String?
    /// The release being installed, when known.
    public var targetVersion: OMSVersion?

    /// Creates a plan.
    public init(spec: ContainerRunSpec, differences: [String], renameOldTo: String?, targetVersion: OMSVersion?) {
        self.spec = spec
        self.differences = differences
        self.renameOldTo = renameOldTo
        self.targetVersion = targetVersion
    }
}

extension NewContainerPlan {
    /// The new container's console: https when its spec mounts the SSL pair, host from its
    /// OMS_HOST_IP (else 127.0.0.1), on `port` (config.yaml's nginx_server_port).
    public func consoleURL(port: Int) throws -> URL {
        let https = spec.mounts.contains { $0.destination == OMSContainerPaths.sslCertificate }
        let host = spec.env.last { $0.name == "OMS_HOST_IP" }?.value ?? ""
        return try Deployment.consoleURL(host: host.isEmpty ? "127.0.0.1" : host, port: port, https: https)
    }
}
