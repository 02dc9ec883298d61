import Containers
import Foundation

/// Builds the new container's `docker run` from the old container, keeping what must not change.
///
/// Kept identical: the config.yaml bind and the three data mounts, with the very same host
/// paths (never "fixed up"). SSL pair: from the options, else the old container's. OMS_HOST_IP:
/// from the options, else the old container's. Inherited: network mode, privileged, pids limit,
/// ulimits, restart policy, labels, published ports, added capabilities, -i/-t, other binds and
/// named volumes, and the operator's env vars; not inherited: what the old image itself set
/// (env such as PATH, labels), compared with `docker image inspect` when the engine could
/// inspect the old image, else by a list of well-known image defaults.
public enum NewContainerSpec {
    /// The vendor guide's reference flags, which ``NewContainerPlan/differences`` are measured against.
    public static let referenceUlimit = Ulimit(name: "nproc", soft: 65535, hard: 65535)

    /// Variables that images set and the new image sets again: never copied when the old image's env is unknown.
    public static let imageDefaultVariables: Set<String> = [
        "PATH", "HOME", "HOSTNAME", "TERM", "LANG", "LANGUAGE", "LC_ALL", "SHLVL", "PWD", "container",
        "JAVA_HOME", "JRE_HOME", "CLASSPATH", "LD_LIBRARY_PATH", "PYTHONPATH", "JAVA_VERSION", "GOSU_VERSION",
    ]

    /// Label prefixes that images set (build metadata) or tools own: not copied.
    static let notInheritedLabelPrefixes = ["org.opencontainers.image.", "org.label-schema.", "com.docker.compose."]

    /// Builds the plan; throws ``NewContainerSpecError``.
    public static func build(for deployment: Deployment, options: NewContainerOptions) throws -> NewContainerPlan {
        let old = deployment.container
        var differences: [String] = []
        let targetVersion = options.targetVersion ?? OMSVersion(parsing: options.image) ?? options.route?.to

        // Name, and renaming the old container aside when it holds that name.
        let name: String
        if let given = options.name, !given.isEmpty {
            name = given
        } else if let targetVersion {
            name = targetVersion.defaultContainerName
        } else {
            throw NewContainerSpecError(container: old.name, problem: .cannotDeriveName)
        }
        guard isValidContainerName(name) else {
            throw NewContainerSpecError(container: old.name, problem: .invalidName(name))
        }
        var renameOldTo: String?
        if name == old.name {
            let suffix = targetVersion.map { "_pre_\($0.number)" } ?? "_pre_upgrade"
            renameOldTo = old.name + suffix
        }

        // Mounts: config.yaml, the three data mounts, the SSL pair, then the other mounts.
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

        // Environment: OMS_HOST_IP, the operator's other variables, then the route's.
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

        // Runtime settings, inherited.
        let networkMode = old.networkMode.isEmpty || old.networkMode == "default" ? "host" : old.networkMode
        if networkMode != "host" {
            differences.append(
                "--net \(networkMode) instead of --net host: the old container uses it and the new one inherits that.")
        }
        if !old.privileged {
            differences.append(
                "--privileged=true omitted: the old container runs unprivileged and the new one inherits that.")
        }
        let pidsLimit = (old.pidsLimit ?? 0) > 0 ? old.pidsLimit! : -1
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

        let spec = ContainerRunSpec(
            name: name, image: options.image, mounts: mounts, env: env, networkMode: networkMode,
            privileged: old.privileged, pidsLimit: pidsLimit, ulimits: ulimits, restartPolicy: old.restartPolicy,
            labels: labels, portBindings: old.portBindings, capAdd: old.capAdd,
            interactive: old.openStdin, tty: old.tty
        )
        return NewContainerPlan(
            spec: spec, differences: differences, renameOldTo: renameOldTo, targetVersion: targetVersion)
    }

    /// Docker's rule: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
    public static func isValidContainerName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII,
            CharacterSet.alphanumerics.contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "_.-".unicodeScalars.contains(scalar))
        }
    }
}
