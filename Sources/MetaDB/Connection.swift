import CMariaDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A blocking connection to a MySQL-compatible server (MySQL, MariaDB, OceanBase MySQL mode).
///
/// Use it from one thread at a time: it is deliberately not `Sendable`. For
/// async code use ``AsyncConnection``, which owns a `Connection` on its own
/// serial thread.
///
/// The connection speaks utf8mb4, never reconnects by itself, refuses
/// `LOAD DATA LOCAL INFILE`, and sends one statement per call (no
/// multi-statements). Extra result sets (from `CALL`) are read and discarded;
/// an error in one of them is thrown. Every failure is a ``MetaDBError``, and
/// after a statement fails the connection is still usable unless the error says
/// the connection was lost (2006, 2013).
///
/// Timeouts: `connectTimeout` bounds the TCP connect and the wait for the
/// server's greeting; `readTimeout` and `writeTimeout` bound each network read
/// and write, so a statement that runs longer than `readTimeout` without sending
/// anything fails with 2013. A connection to host `localhost` goes through the
/// unix socket (see ``ConnectionOptions``).
public final class Connection {
    /// The options the connection was opened with.
    public let options: ConnectionOptions
    /// The server's version string, such as `10.11.19-MariaDB-0+deb12u1` or `5.7.25-OceanBase_CE-v4.2.1.2`
    /// (`SELECT VERSION()`: OceanBase's handshake says only `5.7.25`).
    public private(set) var serverVersion: String
    /// The server's id for this session (`CONNECTION_ID()`), usable with `KILL`.
    public let connectionID: UInt64
    /// The TLS cipher in use, or `nil` for a plain connection.
    public let tlsCipher: String?

    private var handle: UnsafeMutablePointer<MYSQL>?
    /// Set while `streamRaw` reads an unbuffered result, when the protocol allows no other command.
    var isStreaming = false

    /// Opens a connection; throws ``MetaDBError`` of kind `.connect` on failure.
    public init(options: ConnectionOptions) throws {
        self.options = options
        guard LibraryInit.ensure() else {
            throw MetaDBError(
                kind: .connect, message: "MariaDB Connector/C failed to initialise", endpoint: options.endpoint)
        }
        guard let mysql = mysql_init(nil) else {
            throw MetaDBError(
                kind: .connect, message: "out of memory creating a connection handle", endpoint: options.endpoint)
        }
        do {
            if case .verifyCA(let caFile) = options.tls, access(caFile, R_OK) != 0 {
                throw MetaDBError(
                    kind: .connect, code: 2026,
                    message: "the CA file \(caFile) cannot be read (\(String(cString: strerror(errno))))",
                    endpoint: options.endpoint)
            }
            try Self.configure(mysql, options)
            let connected = SignalGuard.withSIGPIPEBlocked { Self.realConnect(mysql, options) }
            if !connected {
                throw Self.error(mysql, kind: .connect, options: options, statement: nil)
            }
            let cipher = mysql_get_ssl_cipher(mysql).map { String(cString: $0) }
            switch options.tls {
            case .required, .verifyCA:
                if cipher == nil {
                    throw MetaDBError(
                        kind: .connect, code: 2026,
                        message: "TLS is required (tls: \(options.tls)), but the server does not offer it",
                        endpoint: options.endpoint)
                }
            case .plaintext, .preferred:
                break
            }
            self.tlsCipher = cipher
            self.serverVersion = mysql_get_server_info(mysql).map { String(cString: $0) } ?? ""
            self.connectionID = UInt64(mysql_thread_id(mysql))
            self.handle = mysql
        } catch {
            SignalGuard.withSIGPIPEBlocked { mysql_close(mysql) }
            throw error
        }
        // The handshake of the OceanBase kernel names only the MySQL version it speaks.
        if !serverVersion.contains("MariaDB"), let full = try scalar("SELECT VERSION()").string {
            serverVersion = full
        }
        // MYSQL_INIT_COMMAND is one statement for every server; OceanBase's own variables follow.
        if isOceanBase { try execute(Self.oceanBaseSessionSettings) }
    }

    deinit {
        if let handle { SignalGuard.withSIGPIPEBlocked { mysql_close(handle) } }
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { handle == nil }

    /// Closes the connection; calling it again does nothing. `deinit` closes too.
    public func close() {
        if let handle {
            SignalGuard.withSIGPIPEBlocked { mysql_close(handle) }
            self.handle = nil
        }
    }

    /// Whether the server answers (`mysql_ping`); `false` once closed or lost. Never reconnects.
    public func ping() -> Bool {
        guard let handle else { return false }
        return SignalGuard.withSIGPIPEBlocked { mysql_ping(handle) == 0 }
    }

    /// Runs a statement and returns all its rows, buffered in memory (`mysql_store_result`).
    ///
    /// A statement that returns no result set gives an empty ``ResultSet``.
    public func query(_ sql: String) throws -> ResultSet {
        let fenced = DDLFence.enter(sql, onOceanBase: isOceanBase)
        defer { if fenced { DDLFence.leave() } }
        return try retryingSchemaTryAgain(sql) { try SignalGuard.withSIGPIPEBlocked { try bufferedQuery(sql) } }
    }

    private func bufferedQuery(_ sql: String) throws -> ResultSet {
        let mysql = try send(sql)
        guard let result = mysql_store_result(mysql) else {
            if mysql_field_count(mysql) == 0 {
                try finishResults(mysql, sql)
                return ResultSet(columns: [], rows: [])
            }
            throw failureDrainingResults(mysql, sql)
        }
        let columns = Self.columns(of: result)
        var rows: [Row] = []
        rows.reserveCapacity(Int(clamping: mysql_num_rows(result)))
        while let raw = mysql_fetch_row(result) {
            guard let lengths = mysql_fetch_lengths(result) else { break }
            var values: [Value] = []
            values.reserveCapacity(columns.count)
            for i in 0..<columns.count {
                if let pointer = raw[i] {
                    values.append(.bytes(Array(UnsafeRawBufferPointer(start: pointer, count: Int(lengths[i])))))
                } else {
                    values.append(.null)
                }
            }
            rows.append(Row(columns: columns, values: values))
        }
        mysql_free_result(result)
        try finishResults(mysql, sql)
        return ResultSet(columns: columns, rows: rows)
    }

    /// Runs a statement that returns no rows; if it does return rows, they are read and discarded.
    @discardableResult
    public func execute(_ sql: String) throws -> ExecuteResult {
        let fenced = DDLFence.enter(sql, onOceanBase: isOceanBase)
        defer { if fenced { DDLFence.leave() } }
        return try retryingSchemaTryAgain(sql) { try SignalGuard.withSIGPIPEBlocked { try executeUnguarded(sql) } }
    }

    private func executeUnguarded(_ sql: String) throws -> ExecuteResult {
        let mysql = try send(sql)
        let outcome: ExecuteResult
        if mysql_field_count(mysql) > 0 {
            guard let result = mysql_use_result(mysql) else { throw failureDrainingResults(mysql, sql) }
            while mysql_fetch_row(result) != nil {}
            let failed = mysql_errno(mysql) != 0
            mysql_free_result(result)
            if failed { throw failureDrainingResults(mysql, sql) }
            outcome = ExecuteResult(affectedRows: 0, lastInsertID: 0, warningCount: mysql_warning_count(mysql))
        } else {
            outcome = ExecuteResult(
                affectedRows: UInt64(mysql_affected_rows(mysql)),
                lastInsertID: UInt64(mysql_insert_id(mysql)),
                warningCount: mysql_warning_count(mysql))
        }
        try finishResults(mysql, sql)
        return outcome
    }

    /// The first column of the first row, or `.null` when there is no row.
    public func scalar(_ sql: String) throws -> Value {
        var first: Value?
        try streamRaw(sql) { _, row in
            if first == nil, row.count > 0 { first = row.value(at: 0) }
        }
        return first ?? .null
    }

    // MARK: - Internals shared with Connection+Streaming

    /// Sends `sql` (`mysql_real_query`, binary-safe) and returns the handle.
    func send(_ sql: String) throws -> UnsafeMutablePointer<MYSQL> {
        guard let mysql = handle else {
            throw MetaDBError(
                kind: .closed, message: "close() was called on it", endpoint: options.endpoint,
                statement: sql, password: options.password)
        }
        if isStreaming {
            throw MetaDBError(
                kind: .usage,
                message: "a statement was sent while a streamed result is still being read on this connection; "
                    + "finish the stream first, buffer it with query(), or use a second connection",
                endpoint: options.endpoint, statement: sql, password: options.password)
        }
        var text = sql
        let status = text.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                mysql_real_query(mysql, chars.baseAddress, UInt(chars.count))
            }
        }
        if status != 0 { throw failure(mysql, sql) }
        return mysql
    }

    /// The error the handle reports, as a query error.
    func failure(_ mysql: UnsafeMutablePointer<MYSQL>, _ sql: String) -> MetaDBError {
        Self.error(mysql, kind: .query, options: options, statement: sql)
    }

    /// Reads and drops any further result sets (from `CALL`), so the connection is ready for the
    /// next statement; throws the first error one of them reports.
    func finishResults(_ mysql: UnsafeMutablePointer<MYSQL>, _ sql: String) throws {
        while mysql_more_results(mysql) != 0 {
            let status = mysql_next_result(mysql)
            if status > 0 { throw failure(mysql, sql) }
            if status < 0 { break }
            if let result = mysql_use_result(mysql) {
                mysql_free_result(result)
            }
        }
    }

    /// The handle's current error, after dropping whatever results are still pending.
    func failureDrainingResults(_ mysql: UnsafeMutablePointer<MYSQL>, _ sql: String) -> MetaDBError {
        let error = failure(mysql, sql)
        try? finishResults(mysql, sql)
        return error
    }

    static func columns(of result: UnsafeMutablePointer<MYSQL_RES>) -> [Column] {
        let count = Int(mysql_num_fields(result))
        guard count > 0, let fields = mysql_fetch_fields(result) else { return [] }
        return (0..<count).map { Column(field: fields[$0]) }
    }

    static func error(
        _ mysql: UnsafeMutablePointer<MYSQL>, kind: MetaDBError.Kind, options: ConnectionOptions, statement: String?
    ) -> MetaDBError {
        let code = mysql_errno(mysql)
        let state = mysql_sqlstate(mysql).map { String(cString: $0) } ?? "HY000"
        let message = mysql_error(mysql).map { String(cString: $0) } ?? ""
        return MetaDBError(
            kind: kind, code: code, sqlState: state.isEmpty ? "HY000" : state,
            message: message.isEmpty ? "unknown error" : message,
            endpoint: options.endpoint, statement: statement, password: options.password)
    }

    // MARK: - Options

    private static func configure(_ mysql: UnsafeMutablePointer<MYSQL>, _ options: ConnectionOptions) throws {
        func set(_ option: mysql_option, _ value: UInt32) throws {
            var v = value
            try check(mysql_options(mysql, option, &v), option)
        }
        func set(_ option: mysql_option, flag: Bool) throws {
            var v: my_bool = flag ? 1 : 0
            try check(mysql_options(mysql, option, &v), option)
        }
        func set(_ option: mysql_option, _ value: String) throws {
            try check(value.withCString { mysql_options(mysql, option, $0) }, option)
        }
        func check(_ status: Int32, _ option: mysql_option) throws {
            if status != 0 {
                throw MetaDBError(
                    kind: .usage, message: "Connector/C rejected option \(option.rawValue)",
                    endpoint: options.endpoint)
            }
        }
        try set(MYSQL_OPT_CONNECT_TIMEOUT, UInt32(clamping: max(options.connectTimeout, 1)))
        try set(MYSQL_OPT_READ_TIMEOUT, UInt32(clamping: max(options.readTimeout, 1)))
        try set(MYSQL_OPT_WRITE_TIMEOUT, UInt32(clamping: max(options.writeTimeout, 1)))
        try set(MYSQL_SET_CHARSET_NAME, "utf8mb4")
        try set(MYSQL_OPT_LOCAL_INFILE, 0)
        try set(MYSQL_OPT_RECONNECT, flag: false)
        try set(MYSQL_INIT_COMMAND, sessionSettings)
        if let pluginDirectory = ClientPluginDirectory.path { try set(MYSQL_PLUGIN_DIR, pluginDirectory) }
        switch options.tls {
        case .plaintext:
            // Connector/C 3.3 uses TLS only when asked; 3.4+ tries it by default unless both are off.
            try set(MYSQL_OPT_SSL_ENFORCE, flag: false)
            try set(MYSQL_OPT_SSL_VERIFY_SERVER_CERT, flag: false)
        case .preferred, .required:
            // ENFORCE asks for TLS; 3.3 silently stays plain when the server lacks TLS,
            // so `.required` is checked after connecting (mysql_get_ssl_cipher).
            try set(MYSQL_OPT_SSL_ENFORCE, flag: true)
            try set(MYSQL_OPT_SSL_VERIFY_SERVER_CERT, flag: false)
        case .verifyCA(let caFile):
            // With a CA, OpenSSL verifies the chain; VERIFY_SERVER_CERT would also check the host name.
            try set(MYSQL_OPT_SSL_ENFORCE, flag: true)
            try set(MYSQL_OPT_SSL_VERIFY_SERVER_CERT, flag: false)
            try set(MYSQL_OPT_SSL_CA, caFile)
        }
    }

    /// `mysql_real_connect` with the options' host, user, password, database and port; whether it succeeded.
    private static func realConnect(_ mysql: UnsafeMutablePointer<MYSQL>, _ options: ConnectionOptions) -> Bool {
        let port = UInt32(clamping: options.port)
        return withOptionalCString(options.host.isEmpty ? nil : options.host) { host in
            options.user.withCString { user in
                options.password.reveal().withCString { password in
                    withOptionalCString(options.database) { database in
                        mysql_real_connect(mysql, host, user, password, database, port, nil, 0) != nil
                    }
                }
            }
        }
    }

    private static func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
        guard let s else { return body(nil) }
        return s.withCString(body)
    }
}
