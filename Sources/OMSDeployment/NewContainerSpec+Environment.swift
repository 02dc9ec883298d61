import Containers
import Foundation

extension NewContainerSpec {
    /// The environment: OMS_HOST_IP, the operator's other variables, then the upgrade route's.
    static func environment(
        _ deployment: Deployment, options: NewContainerOptions, differences: inout [String]
    ) throws -> [EnvVar] {
        let old = deployment.container
        let hostIP: String
        if let given = options.hostIP?.trimmingCharacters(in: .whitespaces), !given.isEmpty {
            hostIP = given
            if let previous = old.envValue("OMS_HOST_IP"), previous != given {
                differences.append("OMS_HOST_IP=\(given) from --host-ip instead of the old container's \(previous).")
            }
        } else if let previous = old.envValue("OMS_HOST_IP")?.trimmingCharacters(in: .whitespaces), !previous.isEmpty {
            hostIP = previous
        } else {
            throw NewContainerSpecError(container: old.name, problem: .noHostIP)
        }
        try HostAddress.validate(
            hostIP,
            source: options.hostIP?.trimmingCharacters(in: .whitespaces).isEmpty == false
                ? "--host-ip" : "OMS_HOST_IP of container \(old.name)")
        var env = [EnvVar(name: "OMS_HOST_IP", value: hostIP)]
        let routeNames = Set(options.route?.env.map(\.name) ?? [])
        let imageEnv = deployment.image.map { Set($0.env) }
        var skippedDefaults: [String] = []
        for variable in old.env where variable.name != "OMS_HOST_IP" && !routeNames.contains(variable.name) {
            if let imageEnv {
                if imageEnv.contains(variable) { continue }  // set by the old image: the new image sets its own
            } else if imageDefaultVariables.contains(variable.name) {
                skippedDefaults.append(variable.name)
                continue
            }
            guard !env.contains(where: { $0.name == variable.name }) else { continue }
            env.append(variable)
            differences.append(
                variable.looksSecret
                    ? "-e \(variable.name) added: the old container sets it and the new one inherits it; its value goes through the docker CLI's environment and is never printed."
                    : "-e \(variable.name)=\(variable.value) added: the old container sets it and the new one inherits that."
            )
        }
        if !skippedDefaults.isEmpty {
            differences.append(
                "\(skippedDefaults.joined(separator: ", ")) not copied from the old container: the old image's own environment could not be inspected, and these are image defaults the new image sets itself."
            )
        }
        for extra in options.route?.env ?? [] {
            env.removeAll { $0.name == extra.name }
            env.append(EnvVar(name: extra.name, value: extra.value))
            let source =
                extra.confirmed
                ? "the upgrade route asks for it"
                : "the upgrade route adds it (an unconfirmed field report\(extra.note.map { ": \($0)" } ?? ""))"
            differences.append("-e \(extra.name)=\(extra.value) added: \(source).")
        }
        return env
    }
}
