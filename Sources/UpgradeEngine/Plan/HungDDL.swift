import Foundation
import MetaDB

/// Finds a DDL statement that the OceanBase kernel still runs for a session that was killed.
///
/// seekdb 1.4 (OceanBase 4.3.5) never finishes a DDL statement whose session was killed while it
/// ran, for example by a client killed with SIGKILL: its schema refresh fails with "session
/// interrupted" and is retried forever, holding the server's DDL lock. Every later DDL statement,
/// from any client, then waits behind it until it times out, and `KILL` does not end it; only a
/// restart of the server does (docs/SERVERS.md). An upgrade started then would hang at its first
/// `CREATE`, so the plan refuses and a run refuses to start, naming the session and the remedy.
enum HungDDL {
    /// A killed session's statement older than this is taken as hung (a healthy DDL ends in seconds).
    static let minimumSeconds: Int64 = 60

    /// One session the server lists as killed while its statement still runs.
    struct Session: Equatable {
        let id: Int64
        let seconds: Int64
        let statement: String
    }

    /// The hung DDL sessions on the server of `connection`; none on a server other than OceanBase.
    static func sessions(_ connection: AsyncConnection) async throws -> [Session] {
        guard Connection.isOceanBase(serverVersion: connection.serverVersion) else { return [] }
        let rows = try await connection.query(
            """
            SELECT ID, TIME, INFO FROM information_schema.PROCESSLIST
            WHERE STATE = 'SESSION_KILLED' AND INFO IS NOT NULL AND TIME >= \(minimumSeconds)
            ORDER BY TIME DESC
            """
        ).rows
        return hung(
            rows.map { row in
                Session(id: row[0].int64 ?? 0, seconds: row[1].int64 ?? 0, statement: row[2].string ?? "")
            })
    }

    /// The sessions among `listed` whose statement is DDL and has run at least ``minimumSeconds``.
    static func hung(_ listed: [Session]) -> [Session] {
        listed.filter { $0.seconds >= minimumSeconds && DDLFence.isDDL($0.statement) }
    }

    /// What is wrong and what to do, as one sentence for a check or an error.
    static func problem(_ sessions: [Session], endpoint: String) -> String {
        let named = sessions.prefix(3).map { session in
            "session \(session.id), for \(session.seconds) s: \(String(session.statement.prefix(120)))"
        }.joined(separator: "; ")
        return "The OceanBase server \(endpoint) still runs \(sessions.count) DDL statement(s) of a killed session "
            + "(\(named)). That server never ends such a statement, and every later DDL waits behind it: "
            + "an upgrade, a resume or a rollback would hang at its first CREATE or DROP."
    }

    /// The remedy: a restart is the only way the server lets go of such a statement.
    static let remedy =
        "Restart the OceanBase server (the observer; for seekdb, the process that holds it open), "
        + "check that `SELECT ID FROM information_schema.PROCESSLIST WHERE STATE = 'SESSION_KILLED'` is empty, "
        + "then run the command again. Nothing has been changed."

    /// The plan's `server-ddl` check, or nil where the server is not OceanBase or nothing hangs.
    static func check(_ connection: AsyncConnection) async throws -> PreflightCheck? {
        let sessions = try await sessions(connection)
        guard !sessions.isEmpty else { return nil }
        return .fail("server-ddl", problem(sessions, endpoint: connection.options.endpoint), remedy: remedy)
    }
}
