import Containers
import Foundation
import Synchronization

/// Reads a node's config.yaml through its engine (`docker exec <container> cat ...`), for nodes
/// whose host paths are not visible where the tool runs (e.g. `ssh://` nodes).
///
/// The text holds the metadata password: it is kept in memory only, never logged or printed.
enum RemoteConfigReader {
    /// config.yaml's text as the running container sees it.
    static func read(container: String, engine: any ContainerEngine) async throws -> String {
        let collected = Mutex<[String]>([])
        let status = try await engine.exec(
            container, command: ["cat", OMSContainerPaths.config], timeoutSeconds: 60,
            onOutputLine: { line in collected.withLock { $0.append(line) } })
        guard status == 0 else {
            throw RemoteConfigError(container: container, status: status)
        }
        return collected.withLock { $0.joined(separator: "\n") }
    }
}

/// config.yaml could not be read through the engine.
struct RemoteConfigError: Error, CustomStringConvertible {
    var container: String
    var status: Int32

    var description: String {
        "`cat \(OMSContainerPaths.config)` in \(container) exited with status \(status): config.yaml is neither"
            + " readable on this host nor in the container (is it running?)"
    }
}
