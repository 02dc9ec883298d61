import Foundation
import MetaDB
import MetaDump
import SandboxSupport
import Synchronization
import Testing

/// A signal cancels the task running a backup; the running dumps must stop at their next batch of rows.
@Suite("backup cancellation", .integration, .tags(.mariadb))
struct BackupCancellationTests {
    @Test("cancelling a native backup stops the running dump half-way: an error naming the interruption, no manifest")
    func cancelStopsTheRunningDump() async throws {
        let prefix = Sandbox.uniqueName("md_cancel") + "_"
        defer { TestServer.dropDatabases(startingWith: [prefix]) }
        let db = prefix + "src"
        // About 70 MB of rows: seconds to dump, so the cancellation lands while the dump streams.
        try TestServer.run(["CREATE DATABASE \(db)"])
        try TestServer.run(
            [
                "CREATE TABLE t (id bigint PRIMARY KEY, pad varchar(64))",
                "INSERT INTO t SELECT seq, REPEAT('x', 60) FROM seq_1_to_1000000",
            ], database: db)
        let dir = try TestServer.backupDirectory("cancel")
        let server = try TestServer.options()
        let backup = Task { try await Backup(server: server, databases: [db], directory: dir, dumper: .native).run() }
        @Sendable func partialBytes() -> Int {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            return names.filter { $0.hasSuffix(".partial") }.reduce(0) { total, name in
                let size = (try? FileManager.default.attributesOfItem(atPath: dir + "/" + name)[.size]) as? NSNumber
                return total + (size?.intValue ?? 0)
            }
        }
        // The watcher is a thread of its own: a task polling on the cooperative pool was starved
        // while other suites blocked it, and the dump ran to its end before the poll came round.
        let flags = WatchFlags()
        let watcher = Thread {
            while !flags.finished.withLock({ $0 }) {
                if partialBytes() > 1 << 20 {
                    flags.seen.withLock { $0 = true }
                    backup.cancel()
                    return
                }
                usleep(1000)
            }
        }
        watcher.start()
        let result = await backup.result
        flags.finished.withLock { $0 = true }
        #expect(flags.seen.withLock { $0 }, "the dump wrote its first megabyte before it ended")
        guard case .failure(let error) = result else {
            Issue.record("the backup ran to its end although it was cancelled while dumping")
            return
        }
        #expect("\(error)".contains("interrupted"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/" + BackupManifest.fileName))
    }
}

/// What the watcher thread saw, and when to stop watching.
private final class WatchFlags: Sendable {
    let seen = Mutex(false)
    let finished = Mutex(false)
}
