// Linux only, like the rest of the tool (the C library calls below are Glibc's).
import Glibc

/// A blocking TCP connection whose every operation ends by a deadline; closed by ``close()``.
final class TCPSocket {
    /// The connected descriptor.
    let fd: Int32
    private let deadline: ContinuousClock.Instant
    private var closed = false

    private init(fd: Int32, deadline: ContinuousClock.Instant) {
        self.fd = fd
        self.deadline = deadline
    }

    /// Connects to `host:port` (name or address, IPv4 or IPv6), trying each address in turn.
    static func connect(host: String, port: Int, deadline: ContinuousClock.Instant) throws(ProbeFailure) -> TCPSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw ProbeFailure(reason: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var lastError = "no address for \(host)"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                lastError = String(cString: strerror(errno))
                continue
            }
            let connection = TCPSocket(fd: fd, deadline: deadline)
            if let failure = connection.connect(to: address.pointee.ai_addr, length: address.pointee.ai_addrlen) {
                lastError = failure
                connection.close()
                continue
            }
            return connection
        }
        throw ProbeFailure(reason: "\(host):\(port): \(lastError)")
    }

    /// Non-blocking connect bounded by the deadline; nil on success, else why it failed.
    private func connect(to address: UnsafeMutablePointer<sockaddr>?, length: socklen_t) -> String? {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if Glibc.connect(fd, address, length) != 0 {
            guard errno == EINPROGRESS else { return String(cString: strerror(errno)) }
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&descriptor, 1, Int32(clamping: remainingMilliseconds()))
            guard ready > 0 else { return ready == 0 ? "connection timed out" : String(cString: strerror(errno)) }
            var socketError: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &size)
            guard socketError == 0 else { return String(cString: strerror(socketError)) }
        }
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        return nil
    }

    /// Milliseconds left before the deadline (at least 1, so a blocking call still returns).
    func remainingMilliseconds() -> Int {
        let left = ContinuousClock.now.duration(to: deadline)
        let milliseconds = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
        return Int(max(1, milliseconds))
    }

    /// Whether the deadline has passed.
    var expired: Bool { ContinuousClock.now >= deadline }

    /// Bounds the next blocking send or receive by the time left.
    func armTimeouts() {
        let milliseconds = remainingMilliseconds()
        var value = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends all of `bytes`.
    func send(_ bytes: [UInt8]) throws(ProbeFailure) {
        var offset = 0
        while offset < bytes.count {
            armTimeouts()
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw Self.failure(errno, doing: "sending the request")
            }
            offset += sent
        }
    }

    /// Receives up to `count` bytes; an empty array is the end of the stream.
    func receive(upTo count: Int) throws(ProbeFailure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            armTimeouts()
            let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count, 0) }
            if received < 0 {
                if errno == EINTR, !expired { continue }
                throw Self.failure(errno, doing: "reading the answer")
            }
            return Array(buffer.prefix(received))
        }
    }

    /// A failure for `code`, naming a timeout as such.
    static func failure(_ code: Int32, doing what: String) -> ProbeFailure {
        if code == EAGAIN || code == EWOULDBLOCK { return ProbeFailure(reason: "timed out \(what)") }
        return ProbeFailure(reason: "\(what): \(String(cString: strerror(code)))")
    }

    /// Closes the descriptor (once).
    func close() {
        guard !closed else { return }
        closed = true
        _ = Glibc.close(fd)
    }

    deinit { close() }
}
