import BlockingWork
import CMariaDB
import Synchronization

/// An async façade over ``Connection``: every blocking call runs on the connection's own serial lane.
///
/// The calls never block Swift's cooperative thread pool: each one is queued on the
/// connection's ``BlockingLane`` of ``BlockingPool/shared``, and the caller awaits a
/// continuation. Calls from concurrent tasks are therefore run one after the other, in the
/// order they were queued. A call runs even when its task is cancelled (cleanup after a signal,
/// such as releasing the deployment lock, goes through the connection), and cancelling does not
/// interrupt a statement that is already running.
///
/// Each connection has its own lane; the pool has threads enough for every lane to block in the
/// server at once without starving the others or the cooperative pool.
public final class AsyncConnection: Sendable {
    // Sendable without @unchecked: the only mutable state, the non-Sendable Connection,
    // lives in `box` behind a Mutex and is only touched inside jobs on the serial
    // `lane`, under the lock, so one thread at a time uses it and it never escapes.
    // The one unchecked piece is `TakeOnce`, which carries the caller's closure to the lane.

    /// The options the connection was opened with.
    public let options: ConnectionOptions
    /// The server's version string.
    public let serverVersion: String
    /// The server's id for this session.
    public let connectionID: UInt64
    /// The TLS cipher in use, or `nil` for a plain connection.
    public let tlsCipher: String?

    private let lane: BlockingLane
    private let box: ConnectionBox

    /// Opens a connection on a new serial lane; throws ``MetaDBError`` of kind `.connect`.
    public init(options: ConnectionOptions) async throws {
        let lane = BlockingPool.shared.makeLane()
        let box = ConnectionBox()
        let info: (String, UInt64, String?) = try await Self.run(
            on: lane, box, endpoint: options.endpoint, openIfNeeded: options
        ) { connection in
            (connection.serverVersion, connection.connectionID, connection.tlsCipher)
        }
        self.options = options
        self.lane = lane
        self.box = box
        self.serverVersion = info.0
        self.connectionID = info.1
        self.tlsCipher = info.2
    }

    /// Runs a statement and returns all its rows; see ``Connection/query(_:)``.
    public func query(_ sql: String) async throws -> ResultSet {
        try await withConnection { try $0.query(sql) }
    }

    /// Runs a statement that returns no rows; see ``Connection/execute(_:)``.
    @discardableResult
    public func execute(_ sql: String) async throws -> ExecuteResult {
        try await withConnection { try $0.execute(sql) }
    }

    /// The first column of the first row, or `.null`; see ``Connection/scalar(_:)``.
    public func scalar(_ sql: String) async throws -> Value {
        try await withConnection { try $0.scalar(sql) }
    }

    /// Whether the server answers; `false` once closed.
    public func ping() async -> Bool {
        (try? await withConnection { $0.ping() }) ?? false
    }

    /// Runs `body` with the blocking connection on the connection's lane; use it for streaming or several statements in a row.
    ///
    /// Do not let the connection escape `body`.
    public func withConnection<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        try await Self.run(on: lane, box, endpoint: options.endpoint, openIfNeeded: nil, body)
    }

    /// Closes the connection; later calls throw ``MetaDBError`` of kind `.closed`. Idempotent.
    public func close() async {
        await lane.runToCompletion { [box] in
            box.state.withLock { connection in
                connection?.close()
                connection = nil
            }
        }
    }

    /// Runs `body` on `lane` under the lock, opening the connection first when `openIfNeeded` is given.
    private static func run<T: Sendable>(
        on lane: BlockingLane,
        _ box: ConnectionBox,
        endpoint: String,
        openIfNeeded: ConnectionOptions?,
        _ body: @Sendable (Connection) throws -> T
    ) async throws -> T {
        try await withoutActuallyEscaping(body) { body in
            // The lane's job outlives this call by a moment; it must drop `body` before resuming us,
            // or withoutActuallyEscaping traps. So `body` travels in a box the job empties first.
            let work = TakeOnce(body)
            return try await lane.runToCompletion {
                perform(work.take(), box, endpoint: endpoint, openIfNeeded: openIfNeeded)
            }.get()
        }
    }

    /// Runs `body` under the lock on the current (lane) thread and releases it before returning.
    private static func perform<T: Sendable>(
        _ body: ((Connection) throws -> T)?,
        _ box: ConnectionBox,
        endpoint: String,
        openIfNeeded: ConnectionOptions?
    ) -> Result<T, any Error> {
        _ = mysql_thread_init()
        guard let body else {
            return .failure(MetaDBError(kind: .usage, message: "a connection task ran twice", endpoint: endpoint))
        }
        return Result {
            try box.state.withLock { (connection: inout Connection?) throws -> T in
                if connection == nil, let options = openIfNeeded {
                    connection = try Connection(options: options)
                }
                guard let connection else {
                    throw MetaDBError(kind: .closed, message: "close() was called on it", endpoint: endpoint)
                }
                return try body(connection)
            }
        }
    }
}

/// The connection behind its lock.
private final class ConnectionBox: Sendable {
    let state = Mutex<Connection?>(nil)
}

/// Hands a closure to exactly one lane job, which takes it out (leaving nothing behind) before it resumes the caller.
private final class TakeOnce<T>: @unchecked Sendable {
    // Written by the creating task before the job is queued and read once on the lane:
    // the queue's lock orders the two accesses, so no lock is needed.
    private var value: T?

    init(_ value: T) { self.value = value }

    func take() -> T? {
        defer { value = nil }
        return value
    }
}
