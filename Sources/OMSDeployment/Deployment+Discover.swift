import Containers
import Foundation

extension Deployment {
    /// Inspects `container`, finds its OMS mounts, reads its config.yaml and tells its release.
    ///
    /// Throws the engine's error (e.g. not found), ``DeploymentError`` when the container lacks
    /// the OMS mounts, and ``OMSConfigError`` when config.yaml cannot be read or is invalid.
    public static func discover(container name: String, engine: any ContainerEngine) async throws -> Deployment {
        let details = try await engine.inspectContainer(name)
        // The old image's env tells image-provided variables apart; optional (podman, test doubles).
        let imageReference = details.imageID.isEmpty ? details.image : details.imageID
        let image = try? await engine.inspectImage(imageReference)
        return try Deployment(inspecting: details, image: image)
    }

    /// Builds a deployment from inspected details (no engine needed): reads config.yaml from the host,
    /// or parses `configText` when given (config.yaml as read through the engine on a remote node).
    public init(inspecting details: ContainerDetails, image: ImageDetails? = nil, configText: String? = nil) throws {
        let (configMount, configPath) = try Self.configLocation(details)
        var dataMounts: [Mount] = []
        for destination in OMSContainerPaths.dataMounts {
            guard let mount = details.mount(at: destination) else {
                throw DeploymentError(container: details.name, problem: .missingDataMount(destination: destination))
            }
            dataMounts.append(mount)
        }
        let certificate = details.mount(at: OMSContainerPaths.sslCertificate)
        let key = details.mount(at: OMSContainerPaths.sslKey)
        let sslMounts: SSLMounts?
        switch (certificate, key) {
        case (let certificate?, let key?): sslMounts = SSLMounts(certificate: certificate, key: key)
        case (nil, nil): sslMounts = nil
        case (_?, nil):
            throw DeploymentError(
                container: details.name,
                problem: .halfSSLPair(mounted: OMSContainerPaths.sslCertificate, missing: OMSContainerPaths.sslKey))
        case (nil, _?):
            throw DeploymentError(
                container: details.name,
                problem: .halfSSLPair(mounted: OMSContainerPaths.sslKey, missing: OMSContainerPaths.sslCertificate))
        }
        let config =
            try configText.map { try OMSConfig.parse(yaml: $0, path: configPath) }
            ?? OMSConfig.load(path: configPath)
        let version =
            OMSVersion(parsing: details.image)
            ?? image?.repoTags.lazy.compactMap(OMSVersion.init(parsing:)).first
        self.init(
            container: details, configPath: configPath, configMount: configMount, dataMounts: dataMounts,
            sslMounts: sslMounts, config: config, version: version, image: image)
    }

    /// The bind onto config.yaml, or onto its directory (then the file is `config.yaml` in it).
    private static func configLocation(_ details: ContainerDetails) throws -> (Mount, String) {
        if let mount = details.mount(at: OMSContainerPaths.config), mount.type == .bind {
            return (mount, mount.source)
        }
        if let mount = details.mount(at: OMSContainerPaths.configDirectory), mount.type == .bind {
            return (mount, (mount.source as NSString).appendingPathComponent("config.yaml"))
        }
        throw DeploymentError(container: details.name, problem: .noConfigMount)
    }
}
