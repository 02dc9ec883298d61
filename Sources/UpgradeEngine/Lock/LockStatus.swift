import Foundation

/// Who holds a work directory's deployment lock and for how long, for `status --json`.
///
/// Read from the lock file beside the runs, which every holder writes on both kinds of server
/// (the server's `GET_LOCK` or lease is the real exclusion; the file names the holder).
public struct LockStatus: Codable, Sendable, Equatable {
    /// Whether a process of this work directory holds a deployment's lock.
    public var held: Bool
    public var host: String?
    public var pid: Int32?
    public var runID: String?
    public var command: String?
    public var since: Date?
    /// Seconds since the holder took the lock.
    public var ageSeconds: Int?
    /// The holder was a process of this host that no longer exists: the server frees its lock
    /// (MariaDB, MySQL) or its lease expires (the OceanBase kernel).
    public var holderIsGone: Bool?

    /// The lock of the work directory `workDir`, as its lock file says, at `now`.
    public static func read(workDir: String, now: Date = Date()) -> LockStatus {
        let url = RunDirectory(workDir: URL(filePath: workDir), runID: "").lockURL
        guard let file = LockFile.read(at: url) else { return LockStatus(held: false) }
        return LockStatus(file, now: now)
    }

    /// The status of a lock whose holder `file` names.
    public init(_ file: LockFile, now: Date = Date()) {
        held = true
        host = file.host
        pid = file.pid
        runID = file.runID
        command = file.command
        since = file.since
        ageSeconds = max(0, Int(now.timeIntervalSince(file.since)))
        holderIsGone = file.holderIsGone
    }

    /// A free lock.
    public init(held: Bool) {
        self.held = held
    }
}
