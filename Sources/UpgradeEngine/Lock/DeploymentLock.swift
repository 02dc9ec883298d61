import Foundation
import MetaDB

/// One run per deployment at a time: a server-side named lock plus a lock file naming the holder.
///
/// `GET_LOCK` is held by a dedicated connection for the whole run; if the process dies, the
/// server closes the connection and frees the lock, so there is never a stale lock to clear.
public final class DeploymentLock: Sendable {
    /// The server-side lock's name (at most 64 characters, as MySQL requires).
    public let name: String
    private let connection: AsyncConnection
    private let fileURL: URL

    private init(name: String, connection: AsyncConnection, fileURL: URL) {
        self.name = name
        self.connection = connection
        self.fileURL = fileURL
    }

    /// The lock name for a deployment whose rm database is `rmDatabase` on the metadata server.
    public static func lockName(rmDatabase: String) -> String {
        String("oms-upgrade:\(rmDatabase)".prefix(64))
    }

    /// Seconds to wait for the lock when the lock file names a process of this host that is gone.
    static let gracePeriodForGoneHolder = 20

    /// Takes the lock or throws ``EngineError/locked(_:)`` naming who holds it.
    ///
    /// `waitSeconds` lets the server finish freeing a lock whose session was just killed.
    public static func acquire(
        options: ConnectionOptions, rmDatabase: String, fileURL: URL,
        holder: LockFile, waitSeconds: Int = 0
    ) async throws -> DeploymentLock {
        var lockOptions = options
        lockOptions.database = nil
        let connection = try await AsyncConnection(options: lockOptions)
        let name = lockName(rmDatabase: rmDatabase)
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
                    waitSeconds: gracePeriodForGoneHolder)
            }
            let who = previous?.holderDescription ?? "another oms-upgrade process"
            throw EngineError.locked(
                "Another upgrade of this deployment is in progress: \(who) holds the lock \(name). "
                    + "Wait for it to finish, or check it with `oms-upgrade status`.")
        }
        try holder.write(to: fileURL)
        return DeploymentLock(name: name, connection: connection, fileURL: fileURL)
    }

    /// Whether another session holds the lock right now (used by preflight; takes nothing).
    public static func isHeld(options: ConnectionOptions, rmDatabase: String) async throws -> Bool {
        var lockOptions = options
        lockOptions.database = nil
        let name = lockName(rmDatabase: rmDatabase)
        return try await AsyncConnection.with(options: lockOptions) { connection in
            try await connection.scalar("SELECT IS_FREE_LOCK(\(SQL.quoteString(name)))").int64 == 0
        }
    }

    /// Whether this lock's connection still holds the lock (`IS_USED_LOCK` is its `CONNECTION_ID()`).
    ///
    /// False when the server was restarted, the connection was killed or timed out: the server
    /// then freed the lock and another run may have taken it. The query also keeps the
    /// connection from idling into `wait_timeout`.
    public func isStillHeld() async -> Bool {
        let held = try? await connection.scalar("SELECT IS_USED_LOCK(\(SQL.quoteString(name))) = CONNECTION_ID()")
        return held?.int64 == 1
    }

    /// Frees the lock and removes the lock file.
    public func release() async {
        _ = try? await connection.scalar("SELECT RELEASE_LOCK(\(SQL.quoteString(name)))")
        await connection.close()
        try? FileManager.default.removeItem(at: fileURL)
    }
}
