import Containers

extension NewContainerSpec {
    /// The runtime settings the new container inherits from the old one, beyond what is copied as it is.
    struct Runtime {
        var networkMode: String
        var pidsLimit: Int
        var labels: [String: String]
    }

    /// Network mode, privileges, limits, restart policy, labels, ports, capabilities and -i/-t: inherited.
    static func runtime(_ deployment: Deployment, differences: inout [String]) -> Runtime {
        let old = deployment.container
        let networkMode = old.networkMode.isEmpty || old.networkMode == "default" ? "host" : old.networkMode
        if networkMode != "host" {
            differences.append(
                "--net \(networkMode) instead of --net host: the old container uses it and the new one inherits that.")
        }
        if !old.privileged {
            differences.append(
                "--privileged=true omitted: the old container runs unprivileged and the new one inherits that.")
        }
        let pidsLimit = old.pidsLimit.flatMap { $0 > 0 ? $0 : nil } ?? -1
        if pidsLimit > 0 {
            differences.append(
                "--pids-limit \(pidsLimit) instead of -1: the old container has that limit and the new one inherits it."
            )
        }
        let ulimits = old.ulimits
        if let nproc = ulimits.first(where: { $0.name == "nproc" }) {
            if nproc != referenceUlimit {
                differences.append(
                    "--ulimit \(nproc.argument) instead of \(referenceUlimit.argument): the old container has that limit and the new one inherits it."
                )
            }
        } else {
            differences.append(
                "--ulimit \(referenceUlimit.argument) omitted: the old container sets no nproc limit and the new one inherits that."
            )
        }
        for ulimit in ulimits where ulimit.name != "nproc" {
            differences.append(
                "--ulimit \(ulimit.argument) added: the old container has it and the new one inherits it.")
        }
        if let restart = old.restartPolicy.argument {
            differences.append(
                "--restart \(restart) added: the old container has that restart policy and the new one inherits it.")
        }
        let imageLabels = deployment.image?.labels
        var labels: [String: String] = [:]
        for (key, value) in old.labels.sorted(by: { $0.key < $1.key }) {
            if let imageLabels, imageLabels[key] == value { continue }
            if notInheritedLabelPrefixes.contains(where: key.hasPrefix) { continue }
            labels[key] = value
            differences.append("--label \(key)=\(value) added: the old container has it and the new one inherits it.")
        }
        for port in old.portBindings {
            differences.append(
                "-p \(port.argument) added: the old container publishes it and the new one inherits that.")
        }
        for capability in old.capAdd {
            differences.append("--cap-add \(capability) added: the old container has it and the new one inherits it.")
        }
        if !old.openStdin || !old.tty {
            let flags =
                (old.openStdin ? "" : "-i") + (!old.openStdin && !old.tty ? " and " : "") + (old.tty ? "" : "-t")
            differences.append(
                "\(flags) omitted from -dit: the old container was created without \(old.openStdin || old.tty ? "it" : "them") and the new one inherits that."
            )
        }
        return Runtime(networkMode: networkMode, pidsLimit: pidsLimit, labels: labels)
    }
}
