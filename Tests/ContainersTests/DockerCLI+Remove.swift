@testable import Containers

extension DockerCLI {
    /// `docker rm [--force]`: the tool never removes an OMS container, the tests clean up theirs.
    func remove(_ nameOrID: String, force: Bool) async throws {
        let arguments = ["rm"] + (force ? ["--force"] : []) + [nameOrID]
        let result = try await invoke(arguments, action: "removing container \(nameOrID)")
        try check(result, arguments, action: "removing container \(nameOrID)", subject: ("container", nameOrID))
    }
}
