import Foundation

/// The lock file beside the runs: who holds the deployment, for people and for error messages.
///
/// The file is informative; the real mutual exclusion is the server-side named lock
/// (``DeploymentLock``), which the server frees when the holder's process dies.
public struct LockFile: Codable, Sendable, Equatable {
    public var host: String
    public var pid: Int32
    public var runID: String
    public var command: String
    public var since: Date

    /// A record for this process.
    public static func current(runID: String, command: String) -> LockFile {
        LockFile(host: ProcessInfo.processInfo.hostName, pid: getpid(), runID: runID, command: command, since: Date())
    }

    /// Reads the lock file at `url`, nil when there is none or it cannot be parsed.
    public static func read(at url: URL) -> LockFile? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? Journal.decoder.decode(LockFile.self, from: data)
    }

    /// Writes the lock file atomically with mode 0600.
    public func write(to url: URL) throws {
        let data = try Journal.encoder.encode(self)
        try data.write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }

    /// Whether the holder was a process of this host that no longer exists (killed, crashed):
    /// the server frees its lock once it sees the dead process's connection close.
    public var holderIsGone: Bool {
        host == ProcessInfo.processInfo.hostName && pid > 0 && kill(pid, 0) != 0 && errno == ESRCH
    }

    /// A sentence naming the holder.
    public var holderDescription: String {
        "run \(runID) (\(command), pid \(pid) on \(host), since \(since.formatted(.iso8601)))"
    }
}
