import COpenSSL
import Glibc

/// A TLS client session over a connected ``TCPSocket``, through OpenSSL.
///
/// It does not verify the server's certificate: OMS consoles serve self-signed ones and the
/// health probe only reads a flag, so nothing secret crosses this connection.
final class TLSSession {
    private let socket: TCPSocket
    private let context: OpaquePointer
    private let ssl: OpaquePointer

    /// Runs the TLS handshake on `socket`; `serverName` is sent as SNI unless it is an address.
    init(socket: TCPSocket, serverName: String) throws(ProbeFailure) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw Self.failure("creating a TLS context") }
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        oms_ssl_ctx_ignore_unexpected_eof(context)
        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            throw Self.failure("creating a TLS session")
        }
        self.socket = socket
        self.context = context
        self.ssl = ssl
        SSL_set_fd(ssl, socket.fd)
        if !Self.isAddress(serverName) { _ = oms_ssl_set_server_name(ssl, serverName) }
        while true {
            socket.armTimeouts()
            let result = SSL_connect(ssl)
            if result == 1 { return }
            try check(result, doing: "the TLS handshake")
        }
    }

    /// Sends all of `bytes`.
    func send(_ bytes: [UInt8]) throws(ProbeFailure) {
        var offset = 0
        while offset < bytes.count {
            socket.armTimeouts()
            let written = bytes[offset...].withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
            if written > 0 {
                offset += Int(written)
                continue
            }
            try check(written, doing: "sending the request")
        }
    }

    /// Receives up to `count` bytes; an empty array is the end of the stream.
    func receive(upTo count: Int) throws(ProbeFailure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            socket.armTimeouts()
            let read = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32(count)) }
            if read > 0 { return Array(buffer.prefix(Int(read))) }
            let code = SSL_get_error(ssl, read)
            if code == SSL_ERROR_ZERO_RETURN { return [] }
            if code == SSL_ERROR_SYSCALL, ERR_peek_error() == 0, errno == 0 || read == 0 { return [] }
            try check(read, doing: "reading the answer")
        }
    }

    /// Returns when `result` only asks to try again (and time is left); throws otherwise.
    private func check(_ result: Int32, doing what: String) throws(ProbeFailure) {
        let code = SSL_get_error(ssl, result)
        if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE {
            // A blocking socket whose SO_RCVTIMEO/SO_SNDTIMEO ran out reports "want read/write".
            if !socket.expired { return }
            ERR_clear_error()
            throw ProbeFailure(reason: "timed out during \(what)")
        }
        if code == SSL_ERROR_SYSCALL, ERR_peek_error() == 0 {
            let number = errno
            ERR_clear_error()
            if number == EINTR, !socket.expired { return }
            throw TCPSocket.failure(number, doing: what)
        }
        throw Self.failure(what)
    }

    /// The first queued OpenSSL error, as text, for `what`.
    private static func failure(_ what: String) -> ProbeFailure {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return ProbeFailure(reason: "\(what) failed") }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        let message = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return ProbeFailure(reason: "\(what) failed: \(message)")
    }

    /// Whether `host` is an IPv4 or IPv6 address (no SNI for those).
    private static func isAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    // No SSL_shutdown: its close_notify would be written to a peer that may have closed (SIGPIPE).
    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }
}
