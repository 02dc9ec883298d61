import Foundation
import MetaDB
import SandboxSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP port on 127.0.0.1 and, optionally, a socket listening on it that never answers.
private struct LocalPort: ~Copyable {
    let port: Int
    private let fd: Int32

    /// Binds an ephemeral port; `listening` keeps it as a silent listener, otherwise it is closed again (nothing listens).
    init(listening: Bool) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, length) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        guard bound, !listening || listen(fd, 8) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        if listening {
            self.fd = fd
        } else {
            close(fd)
            self.fd = -1
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }
}

@Suite("Connection errors name the endpoint, never the password", .integration, .tags(.mariadb))
struct ConnectionErrorTests {
    @Test("a wrong password gives error 1045 naming user@host:port, without the password")
    func wrongPassword() throws {
        var options = try TestDatabase.options()
        let wrong = "wrong-\(UUID().uuidString)"
        options.password = Secret(wrong)
        let error = try #require(throws: MetaDBError.self) { try Connection(options: options) }
        #expect(error.code == 1045)
        #expect(error.kind == .connect)
        #expect(error.sqlState == "28000")
        #expect(error.endpoint == "\(options.user)@\(options.host):\(options.port)")
        #expect(error.description.contains("\(options.user)@\(options.host):\(options.port)"))
        #expect(error.description.contains("oms_meta_password"))
        #expect(!error.description.contains(wrong))
        #expect(!"\(error)".contains(wrong))
        #expect(!String(reflecting: error).contains(wrong))
        #expect(!error.description.contains(try TestDatabase.password()))
    }

    @Test("a closed port fails fast with 2002/2003 and a remedy")
    func closedPort() throws {
        let closed = try LocalPort(listening: false)
        var options = try TestDatabase.options(connectTimeout: 2)
        options.host = "127.0.0.1"
        options.port = closed.port
        let start = ContinuousClock.now
        let error = try #require(throws: MetaDBError.self) { try Connection(options: options) }
        let elapsed = ContinuousClock.now - start
        #expect([2002, 2003].contains(error.code), "\(error)")
        #expect(error.kind == .connect)
        #expect(elapsed < .seconds(5))
        #expect(error.description.contains("127.0.0.1:\(closed.port)"))
        #expect(error.description.contains("running and reachable"))
        #expect(!error.description.contains(try TestDatabase.password()))
    }

    @Test("a server that never answers fails within the connect timeout")
    func silentServer() throws {
        let silent = try LocalPort(listening: true)
        var options = try TestDatabase.options(connectTimeout: 2)
        options.host = "127.0.0.1"
        options.port = silent.port
        let start = ContinuousClock.now
        let error = try #require(throws: MetaDBError.self) { try Connection(options: options) }
        let elapsed = ContinuousClock.now - start
        #expect(error.kind == .connect)
        #expect([2013, 2002, 2003, 2006].contains(error.code), "\(error)")
        #expect(elapsed >= .seconds(1))
        #expect(elapsed < .seconds(5), "took \(elapsed)")
        #expect(error.remedy != nil)
    }

    @Test("a statement silent for longer than the read timeout fails with a lost connection")
    func readTimeout() throws {
        var options = try TestDatabase.options()
        options.readTimeout = 1
        let db = try Connection(options: options)
        let start = ContinuousClock.now
        let error = try #require(throws: MetaDBError.self) { try db.execute("DO SLEEP(5)") }
        let elapsed = ContinuousClock.now - start
        #expect(error.code == 2013, "\(error)")
        #expect(error.kind == .query)
        #expect(elapsed < .milliseconds(4500), "took \(elapsed)")
        #expect(error.remedy?.contains("lost") == true)
        db.close()
    }

    @Test("an unknown default database gives 1049")
    func unknownDatabase() throws {
        let options = try TestDatabase.options(database: "metadb_does_not_exist_\(UInt32.random(in: 0...UInt32.max))")
        let error = try #require(throws: MetaDBError.self) { try Connection(options: options) }
        #expect(error.code == 1049)
        #expect(error.description.contains("does not exist"))
    }

    @Test("TLS: plaintext and preferred connect; required follows the server's TLS support; a missing CA fails")
    func tlsModes() throws {
        var options = try TestDatabase.options()
        options.tls = .plaintext
        let plain = try Connection(options: options)
        #expect(plain.tlsCipher == nil)
        let serverHasTLS = try plain.scalar("SELECT @@have_ssl").string == "YES"
        plain.close()

        options.tls = .preferred
        let preferred = try Connection(options: options)
        #expect((preferred.tlsCipher != nil) == serverHasTLS)
        preferred.close()

        options.tls = .required
        if serverHasTLS {
            let required = try Connection(options: options)
            #expect(required.tlsCipher != nil)
        } else {
            let error = try #require(throws: MetaDBError.self) { try Connection(options: options) }
            #expect(error.kind == .connect)
            #expect(error.description.contains("TLS") || error.description.contains("SSL"))
        }

        options.tls = .verifyCA(caFile: "/nonexistent/metadb-ca.pem")
        let error = try #require(throws: MetaDBError.self) { try Connection(options: options) }
        #expect(error.kind == .connect)
    }
}
