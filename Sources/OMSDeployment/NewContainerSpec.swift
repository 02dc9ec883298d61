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
        let naming = try naming(old, options: options, targetVersion: targetVersion)
        let mounts = try mounts(deployment, options: options, differences: &differences)
        let env = try environment(deployment, options: options, differences: &differences)
        let runtime = runtime(deployment, differences: &differences)
        let spec = ContainerRunSpec(
            name: naming.name, image: options.image, mounts: mounts, env: env, networkMode: runtime.networkMode,
            privileged: old.privileged, pidsLimit: runtime.pidsLimit, ulimits: old.ulimits,
            restartPolicy: old.restartPolicy, labels: runtime.labels, portBindings: old.portBindings,
            capAdd: old.capAdd, interactive: old.openStdin, tty: old.tty
        )
        return NewContainerPlan(
            spec: spec, differences: differences, renameOldTo: naming.renameOldTo, targetVersion: targetVersion)
    }

    /// The new container's name, and the name the old one is renamed to when it holds that name.
    static func naming(
        _ old: ContainerDetails, options: NewContainerOptions, targetVersion: OMSVersion?
    ) throws -> (name: String, renameOldTo: String?) {
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
        return (name, renameOldTo)
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
