import Foundation
import MetaDB
import MetaDump
import SandboxSupport
import Testing

/// A signal cancels the task running a backup; the running dumps must stop at their next batch of rows.
@Suite("backup cancellation", .tags(.mariadb))
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
        func partialBytes() -> Int {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            return names.filter { $0.hasSuffix(".partial") }.reduce(0) { total, name in
                let size = (try? FileManager.default.attributesOfItem(atPath: dir + "/" + name)[.size]) as? NSNumber
                return total + (size?.intValue ?? 0)
            }
        }
        var streaming = false
        for _ in 0..<120_000 where !streaming {
            streaming = partialBytes() > 1 << 20
            if !streaming { try await Task.sleep(for: .milliseconds(1)) }
        }
        #expect(streaming, "the dump wrote its first megabyte")
        backup.cancel()
        let result = await backup.result
        guard case .failure(let error) = result else {
            Issue.record("the backup ran to its end although it was cancelled while dumping")
            return
        }
        #expect("\(error)".contains("interrupted"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/" + BackupManifest.fileName))
    }
}
