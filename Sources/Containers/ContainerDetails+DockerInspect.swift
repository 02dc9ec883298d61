import Foundation

extension ContainerDetails {
    /// Decodes the output of `docker inspect` / `docker container inspect` (an array of one or more
    /// containers; the first is returned). Works with podman's output too: names without `/`,
    /// `ImageName`, `RLIMIT_*` ulimit names, a string entrypoint.
    public static func decode(inspectJSON data: Data) throws -> ContainerDetails {
        let decoded: [InspectedContainer]
        do {
            decoded = try JSONDecoder().decode([InspectedContainer].self, from: data)
        } catch {
            throw InspectDecodingError(what: "container", underlying: "\(error)")
        }
        guard let first = decoded.first else {
            throw InspectDecodingError(what: "container", underlying: "the output is an empty list")
        }
        return first.details
    }
}

/// `docker inspect` printed something this tool cannot read.
public struct InspectDecodingError: Error, Sendable, CustomStringConvertible {
    /// `container` or `image`.
    public var what: String
    /// The decoder's complaint.
    public var underlying: String

    /// One sentence naming the problem.
    public var description: String {
        "The \(what) details printed by `docker inspect` could not be read (\(underlying)): check that the docker CLI talks to a Docker- or podman-compatible engine."
    }
}

/// A string or a list of strings (podman has printed `Entrypoint` both ways).
struct StringOrList: Decodable {
    var values: [String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            values = []
        } else if let list = try? container.decode([String].self) {
            values = list
        } else {
            let single = try container.decode(String.self)
            values = single.isEmpty ? [] : [single]
        }
    }
}

/// The parts of Docker's container JSON the tool reads; every field optional so that
/// engines which leave some out still decode. Field names are Docker's JSON keys.
// swift-format-ignore: AlwaysUseLowerCamelCase
private struct InspectedContainer: Decodable {
    struct StateJSON: Decodable {
        var Status: String?
        var Running: Bool?
        var Pid: Int?
        var ExitCode: Int?
        var StartedAt: String?
        var FinishedAt: String?
    }
    struct MountJSON: Decodable {
        var kind: String?
        var Name: String?
        var Source: String?
        var Destination: String?
        var RW: Bool?
        var Mode: String?

        enum CodingKeys: String, CodingKey {
            case kind = "Type"
            case Name, Source, Destination, RW, Mode
        }
    }
    struct UlimitJSON: Decodable {
        var Name: String?
        var Soft: Int64?
        var Hard: Int64?
    }
    struct RestartJSON: Decodable {
        var Name: String?
        var MaximumRetryCount: Int?
    }
    struct PortJSON: Decodable {
        var HostIp: String?
        var HostPort: String?
    }
    struct HostConfigJSON: Decodable {
        var Binds: [String]?
        var NetworkMode: String?
        var Privileged: Bool?
        var PidsLimit: Int?
        var Ulimits: [UlimitJSON]?
        var RestartPolicy: RestartJSON?
        var PortBindings: [String: [PortJSON]?]?
        var CapAdd: [String]?
    }
    struct ConfigJSON: Decodable {
        var Image: String?
        var Env: [String]?
        var Labels: [String: String]?
        var Cmd: StringOrList?
        var Entrypoint: StringOrList?
        var WorkingDir: String?
        var User: String?
        var Tty: Bool?
        var OpenStdin: Bool?
    }

    var Id: String?
    var Name: String?
    var Image: String?
    var ImageName: String?
    var State: StateJSON?
    var Mounts: [MountJSON]?
    var HostConfig: HostConfigJSON?
    var Config: ConfigJSON?

    var details: ContainerDetails {
        let name = (Name ?? "").hasPrefix("/") ? String((Name ?? "").dropFirst()) : (Name ?? "")
        let configuredImage = Config?.Image.flatMap { $0.isEmpty ? nil : $0 } ?? ImageName ?? Image ?? ""
        let state = ContainerState(
            status: State?.Status ?? ((State?.Running ?? false) ? "running" : "unknown"),
            running: State?.Running ?? false,
            pid: State?.Pid ?? 0,
            exitCode: State?.ExitCode ?? 0,
            startedAt: Self.meaningfulTime(State?.StartedAt),
            finishedAt: Self.meaningfulTime(State?.FinishedAt)
        )
        let ports = (HostConfig?.PortBindings ?? [:]).sorted { $0.key < $1.key }.flatMap { key, bindings in
            (bindings ?? []).map {
                PortBinding(containerPort: key, hostIP: $0.HostIp ?? "", hostPort: $0.HostPort ?? "")
            }
        }
        return ContainerDetails(
            id: Id ?? "",
            name: name,
            image: configuredImage,
            imageID: Image ?? "",
            state: state,
            mounts: mergedMounts(),
            env: (Config?.Env ?? []).map(EnvVar.init(parsing:)),
            networkMode: HostConfig?.NetworkMode ?? "",
            privileged: HostConfig?.Privileged ?? false,
            pidsLimit: HostConfig?.PidsLimit,
            ulimits: (HostConfig?.Ulimits ?? []).compactMap { limit in
                guard let name = limit.Name else { return nil }
                return Ulimit(name: name, soft: limit.Soft ?? 0, hard: limit.Hard ?? limit.Soft ?? 0)
            },
            restartPolicy: RestartPolicy(
                name: HostConfig?.RestartPolicy?.Name ?? "no",
                maximumRetryCount: HostConfig?.RestartPolicy?.MaximumRetryCount ?? 0
            ),
            labels: Config?.Labels ?? [:],
            cmd: Config?.Cmd?.values ?? [],
            entrypoint: Config?.Entrypoint?.values ?? [],
            workingDir: Config?.WorkingDir.flatMap { $0.isEmpty ? nil : $0 },
            user: Config?.User.flatMap { $0.isEmpty ? nil : $0 },
            tty: Config?.Tty ?? false,
            openStdin: Config?.OpenStdin ?? false,
            portBindings: ports,
            capAdd: HostConfig?.CapAdd ?? []
        )
    }

    /// `Mounts` (which has the type and RW flag), completed by any `HostConfig.Binds` entry
    /// whose destination it lacks; `Binds` alone when an engine leaves `Mounts` out.
    private func mergedMounts() -> [Mount] {
        var result: [Mount] = (Mounts ?? []).compactMap { json in
            guard let destination = json.Destination, !destination.isEmpty else { return nil }
            let kind = Mount.Kind(rawValue: (json.kind ?? "bind").lowercased()) ?? .other
            let readOnly = json.RW.map { !$0 } ?? (json.Mode ?? "").split(separator: ",").contains("ro")
            return Mount(
                source: json.Source ?? "",
                destination: destination,
                readOnly: readOnly,
                type: kind,
                volumeName: kind == .volume ? json.Name : nil
            )
        }
        for bind in HostConfig?.Binds ?? [] {
            guard let mount = Mount(bindSpecification: bind) else { continue }
            if !result.contains(where: { $0.destination == mount.destination }) {
                result.append(mount)
            }
        }
        return result
    }

    /// Docker prints `0001-01-01T00:00:00Z` for "never".
    private static func meaningfulTime(_ value: String?) -> String? {
        guard let value, !value.isEmpty, !value.hasPrefix("0001-01-01") else { return nil }
        return value
    }
}
