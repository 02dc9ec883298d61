import Containers

extension NewContainerSpec {
    /// The mounts: config.yaml, the three data mounts, the SSL pair, then the old container's other mounts.
    static func mounts(
        _ deployment: Deployment, options: NewContainerOptions, differences: inout [String]
    ) throws -> [Mount] {
        let old = deployment.container
        var mounts: [Mount] = [deployment.configMount] + deployment.dataMounts
        let sslMounts: [Mount]
        if let pair = options.sslPair {
            for path in [pair.certificatePath, pair.keyPath] where !path.hasPrefix("/") {
                throw NewContainerSpecError(container: old.name, problem: .relativePath(path))
            }
            sslMounts = [
                Mount(source: pair.certificatePath, destination: OMSContainerPaths.sslCertificate, readOnly: true),
                Mount(source: pair.keyPath, destination: OMSContainerPaths.sslKey, readOnly: true),
            ]
            differences.append(
                deployment.sslMounts == nil
                    ? "SSL pair \(pair.certificatePath) and \(pair.keyPath) added from --ssl-cert/--ssl-key: the console becomes HTTPS only."
                    : "SSL pair \(pair.certificatePath) and \(pair.keyPath) from --ssl-cert/--ssl-key instead of the old container's."
            )
        } else if let inherited = deployment.sslMounts {
            sslMounts = [inherited.certificate, inherited.key]
        } else {
            sslMounts = []
            differences.append(
                "No SSL pair mounted: the old container has none, so the console stays HTTP (pass --ssl-cert and --ssl-key to serve HTTPS)."
            )
        }
        mounts += sslMounts
        let placed = Set(mounts.map(\.destination))
        for mount in old.mounts
        where !placed.contains(mount.destination) && mount.destination != OMSContainerPaths.config {
            if mount.type == .bind || (mount.type == .volume && !mount.isAnonymousVolume) {
                mounts.append(mount)
                let argument = ContainerRunSpec.mountArguments(mount).joined(separator: " ")
                differences.append("\(argument) added: the old container mounts it and the new one inherits that.")
            } else if mount.type == .volume {
                differences.append(
                    "The anonymous volume at \(mount.destination) is not carried over: it comes from the old image's VOLUME declaration, not from the operator."
                )
            } else {
                differences.append(
                    "The \(mount.type.rawValue) mount at \(mount.destination) is not carried over: it holds no data across restarts; add it by hand if the new image needs it."
                )
            }
        }
        return mounts
    }
}
