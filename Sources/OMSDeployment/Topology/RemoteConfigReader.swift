import Containers
import Foundation
import Synchronization

/// Reads a node's config.yaml through its engine, for nodes whose host paths are not visible where
/// the tool runs (e.g. `ssh://` nodes).
///
/// `docker cp <container>:<config.yaml> -` first: it works while the container is stopped, so a
/// resumed or rolled-back run reads it too. Should the engine refuse the copy (it mounts the
/// container's binds to copy, and fails when a bind source is gone) and the container run,
/// `docker exec <container> cat` reads it as the running container sees it.
///
/// The text holds the metadata password: it is kept in memory only, never logged or printed.
public enum RemoteConfigReader {
    /// config.yaml's text as the container sees it.
    public static func read(container: String, engine: any ContainerEngine) async throws -> String {
        let bytes: [UInt8]
        do {
            bytes = try await engine.readFile(OMSContainerPaths.config, in: container, limit: OMSConfig.maxFileSize)
        } catch {
            guard try await engine.inspectContainer(container).state.running else { throw error }
            return try await readRunning(container: container, engine: engine)
        }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw OMSConfigError(
                path: "\(container):\(OMSContainerPaths.config)", problem: .unreadable(reason: "it is not UTF-8 text"))
        }
        return text
    }

    /// The parsed config.yaml of `container`.
    public static func load(container: String, engine: any ContainerEngine) async throws -> OMSConfig {
        try OMSConfig.parse(
            yaml: try await read(container: container, engine: engine),
            path: "\(container):\(OMSContainerPaths.config)")
    }

    private static func readRunning(container: String, engine: any ContainerEngine) async throws -> String {
        let collected = Mutex<[String]>([])
        let status = try await engine.exec(
            container, command: ["cat", OMSContainerPaths.config], timeoutSeconds: 60,
            onOutputLine: { line in collected.withLock { $0.append(line) } })
        guard status == 0 else { throw RemoteConfigError(container: container, status: status) }
        return collected.withLock { $0.joined(separator: "\n") }
    }
}

/// config.yaml could not be read through the engine.
struct RemoteConfigError: Error, CustomStringConvertible {
    var container: String
    var status: Int32

    var description: String {
        "`cat \(OMSContainerPaths.config)` in \(container) exited with status \(status): config.yaml is neither"
            + " readable on this host nor in the container"
    }
}
