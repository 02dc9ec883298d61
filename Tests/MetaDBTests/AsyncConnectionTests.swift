import BlockingWork
import Foundation
import SandboxSupport
import Testing

@testable import MetaDB

@Suite("AsyncConnection runs blocking calls on its own thread", .integration, .tags(.mariadb))
struct AsyncConnectionTests {
    @Test("queries from many concurrent tasks on one connection all succeed")
    func concurrentTasksOneConnection() async throws {
        try await TestDatabase.withDatabase { name in
            let db = try await AsyncConnection(options: TestDatabase.options(database: name))
            try await db.execute("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, task INT NOT NULL)")
            let results = try await withThrowingTaskGroup(of: (Int, Int64?).self) { group in
                for task in 0..<50 {
                    group.addTask {
                        try await db.execute("INSERT INTO t (task) VALUES (\(task))")
                        return (task, try await db.scalar("SELECT \(task) * 2").int64)
                    }
                }
                var all: [Int: Int64?] = [:]
                for try await (task, value) in group { all[task] = value }
                return all
            }
            #expect(results.count == 50)
            #expect(results.allSatisfy { $0.value == Int64($0.key * 2) })
            #expect(try await db.scalar("SELECT COUNT(DISTINCT task) FROM t").int64 == 50)
            let rows = try await db.query("SELECT task FROM t ORDER BY task")
            #expect(rows.map { $0[0].int64! } == Array(0..<50).map(Int64.init))
            await db.close()
        }
    }

    @Test("blocking statements on many connections overlap instead of queueing behind the CPU count")
    func blockingCallsOverlap() async throws {
        let options = try TestDatabase.options()
        let count = 6  // more than the cores of the machine
        var connections: [AsyncConnection] = []
        for _ in 0..<count { connections.append(try await AsyncConnection(options: options)) }
        // Timed on the connections' own threads, so a busy cooperative pool cannot skew it.
        let intervals = try await withThrowingTaskGroup(
            of: (ContinuousClock.Instant, ContinuousClock.Instant).self
        ) { group in
            for db in connections {
                group.addTask {
                    try await db.withConnection { connection in
                        let start = ContinuousClock.now
                        try connection.execute("DO SLEEP(1)")
                        return (start, ContinuousClock.now)
                    }
                }
            }
            var all: [(ContinuousClock.Instant, ContinuousClock.Instant)] = []
            for try await interval in group { all.append(interval) }
            return all
        }
        let mostAtOnce =
            intervals.map { instant in
                intervals.filter { $0.0 <= instant.0 && instant.0 < $0.1 }.count
            }.max() ?? 0
        #expect(mostAtOnce >= 4, "at most \(mostAtOnce) of \(count) blocking calls ran at the same time")
        for db in connections { await db.close() }
    }

    @Test("several connections work in parallel, each on its own thread")
    func parallelConnections() async throws {
        let options = try TestDatabase.options()
        let ids = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let db = try await AsyncConnection(options: options)
                    for i in 0..<20 {
                        #expect(try await db.scalar("SELECT \(i)").int64 == Int64(i))
                    }
                    // Sleeps overlap when the connections really run in parallel.
                    try await db.execute("DO SLEEP(0.3)")
                    let id = try await db.scalar("SELECT CONNECTION_ID()").uint64 ?? 0
                    #expect(id == db.connectionID)
                    await db.close()
                    return id
                }
            }
            var ids: Set<UInt64> = []
            for try await id in group { ids.insert(id) }
            return ids
        }
        #expect(ids.count == 4)
    }

    @Test("withConnection runs on a thread of the blocking pool, not the cooperative pool")
    func runsOnOwnQueue() async throws {
        try await TestDatabase.withDatabase { name in
            let db = try await AsyncConnection(options: TestDatabase.options(database: name))
            let onPool = try await db.withConnection { _ -> Bool in BlockingPool.current === BlockingPool.shared }
            #expect(onPool)
            #expect(BlockingPool.current == nil)
            let streamed = try await db.withConnection { connection -> Int in
                var count = 0
                try connection.stream("SELECT seq FROM seq_1_to_1000") { _ in count += 1 }
                return count
            }
            #expect(streamed == 1000)
            #expect(!db.serverVersion.isEmpty)
            #expect(await db.ping())
            await db.close()
        }
    }

    @Test("errors come through; after close every call reports .closed")
    func errorsAndClose() async throws {
        let db = try await AsyncConnection(options: TestDatabase.options())
        await #expect(throws: MetaDBError.self) { try await db.query("SELEC 1") }
        do {
            _ = try await db.query("SELEC 1")
        } catch let error as MetaDBError {
            #expect(error.code == 1064)
        }
        #expect(try await db.scalar("SELECT 1").int64 == 1)
        await db.close()
        await db.close()
        #expect(await !db.ping())
        do {
            _ = try await db.scalar("SELECT 1")
            Issue.record("a closed connection answered")
        } catch let error as MetaDBError {
            #expect(error.kind == .closed)
        }
    }

    @Test("a failed async connect throws the connect error")
    func connectFailure() async throws {
        var options = try TestDatabase.options()
        options.password = Secret("wrong-\(UUID().uuidString)")
        do {
            _ = try await AsyncConnection(options: options)
            Issue.record("connected with a wrong password")
        } catch let error as MetaDBError {
            #expect(error.code == 1045)
            #expect(!error.description.contains(options.password.reveal()))
        }
    }
}
