import Foundation
import MetaDB
import SandboxSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// SIGPIPEs delivered to one chosen thread, counted by a handler installed for one test.
nonisolated(unsafe) private var watchedThread = pthread_self()
nonisolated(unsafe) private var sigpipesOnWatchedThread: sig_atomic_t = 0

@Suite("TLS modes against a private TLS-enabled MariaDB", .serialized, .integration, .tags(.mariadb))
struct TLSTests {
    private func options(_ server: PrivateTLSServer, _ tls: TLSMode) -> ConnectionOptions {
        ConnectionOptions(
            host: "127.0.0.1", port: server.port, user: "root", password: Secret("unused-\(UUID())"),
            connectTimeout: 5, tls: tls)
    }

    @Test("each mode does what it says when the server offers TLS")
    func modes() throws {
        let server = try PrivateTLSServer()
        defer { server.stop() }

        let plain = try Connection(options: options(server, .plaintext))
        #expect(plain.tlsCipher == nil)
        #expect(try plain.scalar("SHOW SESSION STATUS LIKE 'Ssl_cipher'") == "Ssl_cipher")
        #expect(try plain.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'").first?[1] == .bytes([]))
        plain.close()

        let preferred = try Connection(options: options(server, .preferred))
        #expect(preferred.tlsCipher != nil)
        #expect(try preferred.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'").first?[1].string == preferred.tlsCipher)
        preferred.close()

        let required = try Connection(options: options(server, .required))
        #expect(required.tlsCipher != nil)
        required.close()

        let verified = try Connection(options: options(server, .verifyCA(caFile: server.caFile)))
        #expect(verified.tlsCipher != nil)
        #expect(try verified.scalar("SELECT 'over TLS'").string == "over TLS")
        verified.close()

        let error = try #require(throws: MetaDBError.self) {
            try Connection(options: options(server, .verifyCA(caFile: server.otherCAFile)))
        }
        #expect(error.code == 2026)
        #expect(error.kind == .connect)
        #expect(error.description.contains("127.0.0.1:\(server.port)"))
    }

    @Test("a TLS session killed by the server reports a lost connection, and the process survives")
    func killedTLSSession() throws {
        let server = try PrivateTLSServer()
        defer { server.stop() }
        let victim = try Connection(options: options(server, .required))
        let killer = try Connection(options: options(server, .required))
        try killer.execute("KILL \(victim.connectionID)")
        // Writing to the dead TLS socket raises SIGPIPE unless MetaDB blocks it; the test runner
        // ignores SIGPIPE, so count the ones that reach this thread instead of dying of them.
        watchedThread = pthread_self()
        sigpipesOnWatchedThread = 0
        let previous = signal(SIGPIPE) { _ in
            if pthread_equal(pthread_self(), watchedThread) != 0 { sigpipesOnWatchedThread += 1 }
        }
        defer { signal(SIGPIPE, previous) }
        for _ in 0..<3 {
            let error = try #require(throws: MetaDBError.self) { try victim.query("SELECT REPEAT('x', 100000)") }
            #expect(error.kind == .query)
        }
        #expect(!victim.ping())
        victim.close()
        #expect(sigpipesOnWatchedThread == 0, "SIGPIPE reached the caller; in the CLI it would end the process")
        killer.close()
    }

    @Test("the async connection reports its cipher")
    func asyncCipher() async throws {
        let server = try PrivateTLSServer()
        defer { server.stop() }
        let db = try await AsyncConnection(options: options(server, .verifyCA(caFile: server.caFile)))
        #expect(db.tlsCipher != nil)
        #expect(try await db.scalar("SELECT 1").int64 == 1)
        await db.close()
    }
}
