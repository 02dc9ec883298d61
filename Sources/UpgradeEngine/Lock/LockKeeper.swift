import Foundation
import MetaDB

/// Keeps a run's deployment lock: checks it before every step and in the background, re-takes
/// it when the server freed it (restart, `KILL`, `wait_timeout`) and nobody else took it.
///
/// When another process took the lock meanwhile, the lock is lost for good: the run must stop
/// at the next safe point without changing anything more (``EngineError/lockLost(_:)``), and
/// the operator finishes it with `resume` once the other process is done.
public actor LockKeeper {
    private var lock: DeploymentLock
    private let options: ConnectionOptions
    private let rmDatabase: String
    private let fileURL: URL
    private let holder: LockFile
    private let timing: LockTiming
    private var lost: String?
    /// The check under way, which a concurrent caller joins instead of starting its own.
    private var inFlight: Task<Void, any Error>?

    /// Takes the lock (see ``DeploymentLock/acquire(options:rmDatabase:fileURL:holder:waitSeconds:leaseSeconds:)``),
    /// timed by `timing` (the lease's length, the interval of the background checks).
    public init(
        options: ConnectionOptions, rmDatabase: String, fileURL: URL, holder: LockFile,
        timing: LockTiming = LockTiming()
    ) async throws {
        lock = try await DeploymentLock.acquire(
            options: options, rmDatabase: rmDatabase, fileURL: fileURL,
            holder: holder, leaseSeconds: timing.leaseSeconds)
        self.options = options
        self.rmDatabase = rmDatabase
        self.fileURL = fileURL
        self.holder = holder
        self.timing = timing
    }

    /// Returns when the lock is held (re-taking it if the server had freed it); throws when it was
    /// lost to another process.
    ///
    /// The step loop and ``keepAlive()`` both ask. An actor lets a second call in while the first
    /// awaits the server, and two re-takes at once would see each other's fresh lock as another
    /// process's and give the lock up; so a second caller joins the check under way.
    public func ensureHeld() async throws {
        if let inFlight { return try await inFlight.value }
        let check = Task { try await self.check() }
        inFlight = check
        defer { inFlight = nil }
        try await check.value
    }

    private func check() async throws {
        if let lost { throw EngineError.lockLost(lost) }
        if await lock.isStillHeld() { return }
        await lock.release()
        do {
            // A killed session frees its locks a moment later: wait a little before calling the lock lost.
            lock = try await DeploymentLock.acquire(
                options: options, rmDatabase: rmDatabase, fileURL: fileURL,
                holder: holder, waitSeconds: 10, leaseSeconds: timing.leaseSeconds)
            let note =
                "The deployment's lock was freed by the server (restart, KILL or wait_timeout); "
                + "it was taken again."
            FileHandle.standardError.write(Data((note + "\n").utf8))
        } catch EngineError.locked(let text) {
            let reason =
                "the deployment's lock \(lock.name) was freed by the server (restart, KILL or "
                + "wait_timeout) and another process holds it now (\(text)). The run stopped before its next "
                + "step and changed nothing more; "
                + "when the other process is done, finish this run with `oms-upgrade resume --run \(holder.runID)` "
                + "or `oms-upgrade rollback --run \(holder.runID)`"
            lost = reason
            throw EngineError.lockLost(reason)
        }
        // Any other error (the server unreachable while it restarts) loses nothing yet: the caller
        // waits the server out (MetaRetry) and asks again.
    }

    /// Checks the lock every ``LockTiming/checkInterval`` until cancelled (keeps its connection alive too).
    public func keepAlive() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: timing.checkInterval)
            if Task.isCancelled { return }
            _ = try? await ensureHeld()
        }
    }

    /// Frees the lock and removes the lock file.
    public func release() async {
        await lock.release()
    }
}
