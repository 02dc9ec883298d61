import ArgumentParser
import Containers
import OMSDeployment

/// Which deployment a data command works on: a running OMS container, or its config.yaml directly.
struct DeploymentTarget: ParsableArguments {
    @Option(help: "The OMS container whose config.yaml names the metadata databases.")
    var container: String?

    @Option(help: "The OMS config.yaml to read instead of asking a container (e.g. when Docker is elsewhere).")
    var config: String?

    func validate() throws {
        guard (container == nil) != (config == nil) else {
            throw ValidationError("Pass exactly one of --container and --config.")
        }
    }

    /// Reads the deployment's config.yaml, from the container's bind mount or from --config.
    func loadConfig(engine: any ContainerEngine) async throws -> OMSConfig {
        if let config { return try OMSConfig.load(path: config) }
        return try await Deployment.discover(container: container ?? "", engine: engine).config
    }
}
