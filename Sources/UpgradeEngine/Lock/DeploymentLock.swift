import Foundation
import MetaDB

/// One run per deployment at a time: a server-side lock plus a lock file naming the holder.
///
/// Where the server frees a session's named lock when the session ends (MySQL, MariaDB),
/// `GET_LOCK` is held by a dedicated connection for the whole run: if the process dies, the
/// server closes the connection and frees the lock, so there is never a stale lock to clear.
/// The OceanBase kernel never frees such a lock (not after minutes, not across a restart), so
/// there the lock is a lease record (``DeploymentLease``) renewed while the run lives and taken
/// over by another run only after it expired.
public final class DeploymentLock: Sendable {
    /// The server-side lock's name (at most 64 characters, as MySQL requires).
    public let name: String
    private let connection: AsyncConnection
    private let fileURL: URL
    /// The lease, on a server that keeps a dead session's `GET_LOCK`; nil: `GET_LOCK`.
    private let lease: DeploymentLease?

    private init(name: String, connection: AsyncConnection, fileURL: URL, lease: DeploymentLease?) {
        self.name = name
        self.connection = connection
        self.fileURL = fileURL
        self.lease = lease
    }

    /// The lock name for a deployment whose rm database is `rmDatabase` on the metadata server.
    public static func lockName(rmDatabase: String) -> String {
        String("oms-upgrade:\(rmDatabase)".prefix(64))
    }

    /// Seconds to wait for the lock when the lock file names a process of this host that is gone.
    static let gracePeriodForGoneHolder = 20

    /// Whether a server frees a dead session's `GET_LOCK` (false for the OceanBase kernel).
    static func serverFreesNamedLocks(serverVersion: String) -> Bool {
        !Connection.isOceanBase(serverVersion: serverVersion)
    }

    /// Takes the lock or throws ``EngineError/locked(_:)`` naming who holds it.
    ///
    /// `waitSeconds` lets the server finish freeing a lock whose session was just killed. On a
    /// lease server, a holder that is gone (a process of this host that no longer exists) is
    /// waited for up to one lease time, until its lease expires; a lease taken lasts `leaseSeconds`.
    public static func acquire(
        options: ConnectionOptions, rmDatabase: String, fileURL: URL,
        holder: LockFile, waitSeconds: Int = 0, leaseSeconds: Int = LockTiming.defaultLeaseSeconds
    ) async throws -> DeploymentLock {
        var lockOptions = options
        lockOptions.database = nil
        let connection = try await AsyncConnection(options: lockOptions)
        let name = lockName(rmDatabase: rmDatabase)
        if !serverFreesNamedLocks(serverVersion: connection.serverVersion) {
            return try await acquireLease(
                connection: connection, name: name, fileURL: fileURL, holder: holder, waitSeconds: waitSeconds,
                leaseSeconds: leaseSeconds)
        }
        let granted = try await connection.scalar(
            "SELECT GET_LOCK(\(SQL.quoteString(name)), \(max(0, waitSeconds)))")
        guard granted.int64 == 1 else {
            await connection.close()
            let previous = LockFile.read(at: fileURL)
            if waitSeconds < gracePeriodForGoneHolder, previous?.holderIsGone == true {
                // A resume or rollback right after a kill: the server has not yet noticed that the
                // killed process's connection closed. Give it a moment instead of refusing.
                return try await acquire(
                    options: options, rmDatabase: rmDatabase, fileURL: fileURL, holder: holder,
                    waitSeconds: gracePeriodForGoneHolder, leaseSeconds: leaseSeconds)
            }
            let who = previous?.holderDescription ?? "another oms-upgrade process"
            throw EngineError.locked(
                "Another upgrade of this deployment is in progress: \(who) holds the lock \(name). "
                    + "Wait for it to finish, or check it with `oms-upgrade status`.")
        }
        try holder.write(to: fileURL)
        return DeploymentLock(name: name, connection: connection, fileURL: fileURL, lease: nil)
    }

    /// Takes the lease `name`, waiting `waitSeconds` (or one lease time when the lock file names a
    /// holder of this host that is gone) for it to be freed or to expire.
    private static func acquireLease(
        connection: AsyncConnection, name: String, fileURL: URL, holder: LockFile, waitSeconds: Int,
        leaseSeconds: Int
    ) async throws -> DeploymentLock {
        let lease = DeploymentLease(name: name, holder: holder, seconds: leaseSeconds)
        do {
            // The lease table's CREATE would wait for good behind a killed session's DDL.
            let hung = try await HungDDL.sessions(connection)
            guard hung.isEmpty else {
                throw EngineError.invalidState(
                    HungDDL.problem(hung, endpoint: connection.options.endpoint) + " " + HungDDL.remedy)
            }
            try await DeploymentLease.ensureTable(connection)
            var wait = max(0, waitSeconds)
            if LockFile.read(at: fileURL)?.holderIsGone == true { wait = max(wait, leaseSeconds + 5) }
            let deadline = ContinuousClock.now + .seconds(wait)
            while true {
                if try await lease.tryTake(connection) {
                    try holder.write(to: fileURL)
                    return DeploymentLock(name: name, connection: connection, fileURL: fileURL, lease: lease)
                }
                guard ContinuousClock.now < deadline else { break }
                try await Task.sleep(for: .seconds(1))
            }
            let who =
                try await DeploymentLease.currentHolder(connection, name: name)
                ?? LockFile.read(at: fileURL)?.holderDescription ?? "another oms-upgrade process"
            await connection.close()
            throw EngineError.locked(
                "Another upgrade of this deployment is in progress: \(who) holds the lease \(name) "
                    + "in \(DeploymentLease.table). Wait for it to finish, or check it with `oms-upgrade status`; "
                    + "a holder that was killed loses it when it expires (\(leaseSeconds) s after its "
                    + "last renewal).")
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Whether another session holds the lock right now (used by preflight; takes nothing).
    public static func isHeld(options: ConnectionOptions, rmDatabase: String) async throws -> Bool {
        try await currentHolder(options: options, rmDatabase: rmDatabase, lockFile: nil) != nil
    }

    /// Who holds the lock right now, or nil when it is free (used by plan and status; takes nothing).
    ///
    /// On a lease server the holder and its age come from the lease record; otherwise from the
    /// lock file at `lockFile` (or "another oms-upgrade process").
    public static func currentHolder(
        options: ConnectionOptions, rmDatabase: String, lockFile: URL?
    ) async throws -> String? {
        var lockOptions = options
        lockOptions.database = nil
        let name = lockName(rmDatabase: rmDatabase)
        return try await AsyncConnection.with(options: lockOptions) { connection in
            if !serverFreesNamedLocks(serverVersion: connection.serverVersion) {
                return try await DeploymentLease.currentHolder(connection, name: name)
            }
            guard try await connection.scalar("SELECT IS_FREE_LOCK(\(SQL.quoteString(name)))").int64 == 0 else {
                return nil
            }
            guard let file = lockFile.flatMap(LockFile.read(at:)) else { return "another oms-upgrade process" }
            let age = Int(Date().timeIntervalSince(file.since))
            return "\(file.holderDescription), held for \(age) s"
        }
    }

    /// Whether this lock's connection still holds the lock (`IS_USED_LOCK` is its `CONNECTION_ID()`;
    /// on a lease server, renews the lease).
    ///
    /// False when the server was restarted, the connection was killed or timed out: the server
    /// then freed the lock and another run may have taken it; or when another run took an
    /// expired lease. The query also keeps the connection from idling into `wait_timeout`.
    public func isStillHeld() async -> Bool {
        if let lease { return (try? await lease.renew(connection)) == true }
        let held = try? await connection.scalar("SELECT IS_USED_LOCK(\(SQL.quoteString(name))) = CONNECTION_ID()")
        return held?.int64 == 1
    }

    /// Frees the lock and removes the lock file.
    public func release() async {
        if let lease {
            try? await lease.release(connection)
        } else {
            _ = try? await connection.scalar("SELECT RELEASE_LOCK(\(SQL.quoteString(name)))")
        }
        await connection.close()
        try? FileManager.default.removeItem(at: fileURL)
    }
}
