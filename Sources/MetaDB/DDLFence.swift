import Foundation
import Synchronization

/// Lets a test's deliberate SIGKILL wait until no DDL statement runs on the OceanBase kernel.
///
/// seekdb 1.4 (the OceanBase kernel the tests run) never finishes a DDL statement whose session was
/// killed while it ran: the statement's schema refresh fails with "session interrupted" and is
/// retried forever, holding the server's DDL lock, so every later DDL on the whole server waits
/// until the server restarts (docs/SERVERS.md). A crash test's SIGKILL that lands while another
/// task's `CREATE TRIGGER` runs would wedge the shared test server. Fault injection
/// (`OMS_UPGRADE_FAULT_KILL`) therefore closes the fence and waits for the DDL statements in flight
/// on OceanBase before it kills: the process still dies at its point with the rest of its work
/// unfinished, between two statements rather than inside one.
///
/// Compiled into debug builds only, like the fault injection it serves: in a release build
/// ``enter(_:onOceanBase:)`` is `false` and does nothing.
#if DEBUG
    package enum DDLFence {
        private struct State {
            var inFlight = 0
            var closed = false
        }
        private static let state = Mutex(State())

        /// Counts `sql` as in flight when it is DDL on OceanBase; waits for good once the fence is closed.
        ///
        /// Returns whether the caller must call ``leave()`` when the statement has finished.
        package static func enter(_ sql: String, onOceanBase: @autoclosure () -> Bool) -> Bool {
            guard isDDL(sql), onOceanBase() else { return false }
            while true {
                let entered = state.withLock { state in
                    guard !state.closed else { return false }
                    state.inFlight += 1
                    return true
                }
                if entered { return true }
                // The process is about to be killed: this statement must not start.
                usleep(100_000)
            }
        }

        /// Marks a statement counted by ``enter(_:onOceanBase:)`` as finished.
        package static func leave() {
            state.withLock { $0.inFlight -= 1 }
        }

        /// Lets no new DDL start and waits (at most `seconds`) until the ones in flight have finished.
        package static func closeAndDrain(seconds: Int = 120) {
            state.withLock { $0.closed = true }
            for _ in 0..<(seconds * 20) where state.withLock({ $0.inFlight }) > 0 {
                usleep(50_000)
            }
        }
    }
#else
    package enum DDLFence {
        /// Nothing in a release build.
        @inline(__always)
        package static func enter(_ sql: String, onOceanBase: @autoclosure () -> Bool) -> Bool { false }

        /// Nothing in a release build.
        @inline(__always)
        package static func leave() {}
    }
#endif

extension DDLFence {
    /// Whether `sql` starts with a schema-changing keyword (`CREATE`, `DROP`, `ALTER`, `RENAME`, `TRUNCATE`).
    package static func isDDL(_ sql: String) -> Bool {
        let word = sql.drop { $0.isWhitespace }.prefix { $0.isLetter }.uppercased()
        return ["CREATE", "DROP", "ALTER", "RENAME", "TRUNCATE"].contains(word)
    }
}
