import Containers

/// Puts back the secret environment values the plan left out, from the old container itself.
///
/// `plan.json` and `plan --json` hold only the names of secret-looking variables (see
/// ``EnvVar``); the values live in the old container, which is never removed. They reach the
/// new container through the docker CLI's environment (`-e NAME`), never its argv.
enum SecretEnvironment {
    static func fill(_ env: [EnvVar], node: RunNode) async throws -> [EnvVar] {
        guard env.contains(where: \.valueWithheld) else { return env }
        return try fill(env, node: node, from: try await node.engine.inspectContainer(node.oldContainerID))
    }

    /// Same, from the old container's details already read.
    static func fill(_ env: [EnvVar], node: RunNode, from old: ContainerDetails) throws -> [EnvVar] {
        try env.map { variable in
            guard variable.valueWithheld else { return variable }
            guard let value = old.envValue(variable.name) else {
                throw EngineError.invalidState(
                    "\(node.prefix)the old container \(node.oldName) no longer sets \(variable.name), whose value the new "
                        + "container needs (plans never store secret values); set it on the old container again "
                        + "or plan a new upgrade")
            }
            var filled = EnvVar(name: variable.name, value: value)
            filled.valueWithheld = false
            return filled
        }
    }
}
