import Foundation
import MetaDB

/// Waits out a metadata server that is unreachable or dropped the connection, then re-enters the step.
///
/// A server restart, a failover or a network blip must not fail an upgrade (or its
/// automatic rollback) at once. When a step fails because the connection was refused
/// or lost (MySQL errors 2002, 2003, 2006, 2013, 1927, 1053, 4031), the runner waits
/// with a growing delay, checks that the server answers again, and runs the whole
/// step again: steps are idempotent by contract, so re-entering one is what `resume`
/// does after a crash; a statement is never repeated on its own. Other errors fail
/// at once. The budget (``RunSettings/metaRetryTimeout``, `--meta-retry-timeout`, default
/// 180 s, in the run's context) bounds the waiting per step; progress says what it waits for.
public enum MetaRetry {
    /// MySQL client and server error codes that mean "the connection is gone or was refused".
    static let connectionCodes: Set<UInt32> = [2002, 2003, 2006, 2013, 2055, 1927, 1053, 4031]

    /// Whether `error`, or an error it wraps, says the server was unreachable or the connection was lost.
    ///
    /// The codes are read from the typed errors (``MetaDB/ErrorChain``): a ``MetaDB/MetaDBError``
    /// wrapped by a backup, a node or a step failure, or what a client program printed.
    public static func isConnectionLoss(_ error: any Error) -> Bool {
        ErrorChain.mysqlCodes(in: error).contains(where: connectionCodes.contains)
    }

    /// Runs `body` (one whole step); after a connection loss waits for the server and runs it again, within the budget.
    static func perform<T: Sendable>(
        _ step: StepID, context: RunContext,
        _ body: (_ attempt: Int) async throws -> T
    ) async throws -> T {
        let budget = context.settings.metaRetryTimeout
        let clock = ContinuousClock()
        var waitingSince: ContinuousClock.Instant?
        var attempt = 0
        while true {
            do {
                return try await body(attempt)
            } catch {
                guard isConnectionLoss(error) else { throw error }
                let since = waitingSince ?? clock.now
                waitingSince = since
                context.log.write("step \(step.rawValue): the metadata server connection failed: \(error)")
                try await waitForServer(step, context, since: since, budget: budget, clock: clock, cause: error)
                attempt += 1
                context.say(
                    "The metadata server answers again: running step \(step.rawValue) again "
                        + "(attempt \(attempt + 1)).")
            }
        }
    }

    /// Sleeps with backoff (1, 2, 4, 8, 15 s…) until a connection succeeds; throws `cause` when the budget runs out.
    private static func waitForServer(
        _ step: StepID, _ context: RunContext, since: ContinuousClock.Instant,
        budget: Duration, clock: ContinuousClock, cause: any Error
    ) async throws {
        var delay: Duration = .seconds(1)
        while true {
            let waited = clock.now - since
            guard waited + delay <= budget else {
                throw EngineError.stepFailed(
                    step,
                    "the metadata server was unreachable or dropped the connection, and did not answer again within "
                        + "\(whole(budget)) (--meta-retry-timeout; waited \(whole(waited))): \(cause)",
                    underlying: cause)
            }
            context.reporter.message(
                "metadata server unreachable, retrying in \(whole(delay)) "
                    + "(\(whole(waited)) of \(whole(budget)))")
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(15))
            do {
                let connection = try await context.connect()
                await connection.close()
                return
            } catch  where isConnectionLoss(error) {
                continue
            }
        }
    }

    private static func whole(_ duration: Duration) -> String {
        "\(duration.components.seconds)s"
    }
}
