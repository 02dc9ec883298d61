import Foundation
import MetaDB
import SandboxSupport
import Synchronization
import Testing

@Suite("AsyncConnection.with closes the connection on every path", .integration, .tags(.mariadb))
struct ScopedConnectionTests {
    private struct BodyFailure: Error, Equatable {}

    @Test("the connection is open in the body and closed, awaited, once the call returns")
    func closedAfterReturn() async throws {
        let options = try TestDatabase.options()
        let (connection, answer) = try await AsyncConnection.with(options: options) { connection in
            (connection, try await connection.scalar("SELECT 41 + 1").int64)
        }
        #expect(answer == 42)
        #expect(await connection.ping() == false)
    }

    @Test("an error from the body is rethrown as it is, after the connection is closed")
    func closedAfterThrow() async throws {
        let options = try TestDatabase.options()
        let escaped = LockedBox()
        await #expect(throws: BodyFailure()) {
            try await AsyncConnection.with(options: options) { connection in
                escaped.set(connection)
                #expect(await connection.ping())
                throw BodyFailure()
            }
        }
        let connection = try #require(escaped.get())
        #expect(await connection.ping() == false)
    }

    @Test("closing(_:) closes a connection opened earlier, after the body")
    func closingAnOpenConnection() async throws {
        let connection = try await AsyncConnection(options: TestDatabase.options())
        let version = try await connection.closing { try await $0.scalar("SELECT VERSION()").string }
        #expect(version?.isEmpty == false)
        #expect(await connection.ping() == false)
    }
}

/// Keeps the connection a failing body saw, so the test can look at it afterwards.
private final class LockedBox: Sendable {
    private let value = Mutex<AsyncConnection?>(nil)
    func set(_ connection: AsyncConnection) { value.withLock { $0 = connection } }
    func get() -> AsyncConnection? { value.withLock { $0 } }
}
