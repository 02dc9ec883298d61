import Containers
import Foundation
import MetaDB
import MetaDump
import OnlineCopy

/// Makes an ``OutageEstimate`` from what can be measured before the stop.
///
/// Measured: one container operation of the engine (`docker exec <old container> true`: the
/// runtime starts and reaps a process, as a stop or a start does; the median of three), one
/// metadata statement (`SELECT 1`), one DDL (at plan time a temporary table, which changes
/// nothing and is lighter than a real one; just before the stop a real table and trigger in the
/// run's own scratch database), the number of tables, and, just before the stop, the rows the
/// change capture logged during the online copy and their rate. An earlier finished run of the
/// same deployment in the work directory gives its measured parts instead, and its init's
/// figure when its route was the same. The health wait comes from such a run, else from the old
/// container's own start (``OldStart``: its log and its init log's times), else from the probe alone.
public struct OutageEstimator: Sendable {
    /// What was measured, in seconds unless said otherwise.
    public struct Measurements: Sendable, Equatable {
        /// One container operation of the engine (`docker exec … true`).
        public var engine: Double
        /// One metadata statement round trip.
        public var meta: Double
        /// One DDL statement.
        public var ddl: Double
        /// Base tables in the metadata databases (the catch-up visits each).
        public var tables: Int
        /// Rows the capture logged so far; nil before the online copy.
        public var loggedRows: Int64?
        /// Rows per second the capture saw; nil before the online copy.
        public var changeRate: Double?
        /// One capture trigger's `CREATE TRIGGER` on the live tables, as the online copy timed it; nil
        /// before it, or where the stop does not drop the triggers.
        public var captureDDL: Double?
        /// How long the old container's OMS took to say it started; nil when its log does not tell.
        public var oldStart: OldStart?
        /// One read of the old container's log tail (`docker logs --tail 20`), as the health probe does; nil
        /// when it failed.
        public var logRead: Double?
        /// One autocommitted write on a real table (each of the catch-up's statements is at least such a
        /// round trip, many of them writes); nil when not measured (then counted as one statement).
        public var write: Double?
        /// One `information_schema` read of the rm database's columns (the catch-up's catalog read is four
        /// such, in parallel); nil when not measured (then counted as one statement).
        public var catalogRead: Double?
        /// Whether the server makes the capture triggers inert at the stop instead of dropping them (the
        /// OceanBase kernel, where DDL is slow): there only the large tables' are dropped at the stop.
        public var capturesMadeInert = false
        /// Where the capture is made inert: the tables whose triggers are dropped at the stop all the same
        /// (the online copy counted at least ``ServerLimits/captureDroppedAtStopRows`` rows); nil before the copy.
        public var largeTables: Int?

        public init(
            engine: Double, meta: Double, ddl: Double, tables: Int, loggedRows: Int64? = nil, changeRate: Double? = nil,
            oldStart: OldStart? = nil, logRead: Double? = nil
        ) {
            self.engine = engine
            self.meta = meta
            self.ddl = ddl
            self.tables = tables
            self.loggedRows = loggedRows
            self.changeRate = changeRate
            self.oldStart = oldStart
            self.logRead = logRead
        }
    }

    /// Parts an earlier finished run of this deployment measured.
    public var earlier: [OutageEstimate.Part: Double] = [:]
    /// The init's seconds in an earlier run of the same route on this deployment.
    public var earlierInit: Double?
    /// The stop timeout `docker stop` is given: the most the stop can take.
    public var stopTimeout: Int
    /// Whether stop-old creates the new container while the old one stops, leaving start-new a bare start:
    /// false when the new container takes the old one's name (it is created once that is renamed aside).
    public var createsDuringStop = true
    /// Seconds the catch-up spends per logged row (replace, compare; measured on MariaDB 10.11: 20 µs).
    static let catchUpSecondsPerRow = 0.000_02
    /// Statements of one changed table's transaction in the catch-up (definition, count, checksums
    /// before, after and live, delete, insert, marker row, begin, commit, default database).
    static let catchUpStatementsPerTable = 11
    /// Statements that complete a snapshot once its tables are caught up (capture list, views, triggers, state).
    static let catchUpStatementsToComplete = 6

    public init(stopTimeout: Int, earlier: [OutageEstimate.Part: Double] = [:], earlierInit: Double? = nil) {
        self.stopTimeout = stopTimeout
        self.earlier = earlier
        self.earlierInit = earlierInit
    }

    /// The estimate from `measured`; `madeAt` says when (`plan`, `before the stop`).
    public func estimate(_ measured: Measurements, madeAt: String) -> OutageEstimate {
        func ms(_ seconds: Double) -> String {
            String(format: seconds < 0.01 ? "%.1f ms" : "%.0f ms", seconds * 1000)
        }
        func earlierItem(_ part: OutageEstimate.Part) -> OutageEstimate.Item? {
            earlier[part].map { .init(part: part, seconds: $0, basis: "an earlier run of this deployment took it") }
        }
        var items: [OutageEstimate.Item] = []
        items.append(
            earlierItem(.stop)
                ?? .init(
                    part: .stop, seconds: 1.5 * measured.engine,
                    basis:
                        "1.5 container operations of \(ms(measured.engine)) (signal, wait, clean up) plus OMS's own"
                        + " shutdown; at most the stop timeout, \(stopTimeout) s, if the container ignores SIGTERM"))
        let (catchUp, basis) = catchUpEstimate(measured)
        items.append(.init(part: .catchUp, seconds: catchUp, basis: basis))
        items.append(
            earlierItem(.prune)
                ?? .init(
                    part: .prune, seconds: 4 * measured.ddl + 2 * measured.meta,
                    basis: "4 DDL of \(ms(measured.ddl)) + 2 statements of \(ms(measured.meta))"))
        items.append(
            earlierItem(.start)
                ?? (createsDuringStop
                    ? .init(
                        part: .start, seconds: measured.engine,
                        basis: "start the container created while the old one stopped: 1 container operation of"
                            + " \(ms(measured.engine))")
                    : .init(
                        part: .start, seconds: 2 * measured.engine,
                        basis: "create and start: 2 container operations of \(ms(measured.engine))")))
        items.append(
            .init(
                part: .initScript, seconds: earlierInit,
                basis: earlierInit == nil
                    ? "the vendor's script cannot be known before it runs, and no earlier run of this route is here"
                    : "an earlier run of the same route on this deployment took it; the vendor's script may differ"))
        // Each round of the probe sends an HTTP request and reads the log at once (an inspect every few
        // rounds while not healthy), then sleeps 100 ms; it sees the new OMS healthy half a round plus one
        // round after it is: 50 ms + 1.5 log reads (the slower of the two). How long OMS itself takes after
        // its init, the old container's own start tells.
        let round = measured.logRead ?? measured.engine
        let probe = 0.05 + 1.5 * round
        let probeBasis =
            "half a 100 ms probe interval and of a round + a round (a probe and a log read at once: 1.5 "
            + (measured.logRead.map { "log reads measured at \(ms($0))" }
                ?? "container operations of \(ms(measured.engine))") + ")"
        items.append(
            earlierItem(.health)
                ?? measured.oldStart.map { old in
                    .init(
                        part: .health, seconds: old.seconds + probe, basis: "\(old.basis) + \(probeBasis)",
                        omsSeconds: old.seconds)
                }
                ?? .init(
                    part: .health, seconds: probe,
                    basis: probeBasis + "; a real OMS adds its own start, which neither its log nor an earlier run here"
                        + " told"))
        return OutageEstimate(items: items, madeAt: madeAt, changeRate: measured.changeRate)
    }

    /// The catch-up's seconds and their basis, as the catch-up runs on the server measured.
    ///
    /// The catalog read (four `information_schema` reads in parallel, beside each snapshot's marker),
    /// then the tables on a pool of ``Snapshot/catchUpSessions`` sessions, each pool session taking its
    /// share of tables at a changed table's statements, then each snapshot's completion; beside it the
    /// capture triggers' drops (all of them, one database per session, where DDL is quick; only the large
    /// tables', one at a time, where the capture is made inert): the step lasts the longer of the two.
    func catchUpEstimate(_ measured: Measurements) -> (seconds: Double, basis: String) {
        func ms(_ seconds: Double) -> String {
            String(format: seconds < 0.01 ? "%.1f ms" : "%.0f ms", seconds * 1000)
        }
        let read = measured.catalogRead ?? measured.meta
        let sessions = Snapshot.catchUpSessions
        let rounds = (measured.tables + sessions - 1) / sessions
        let statements = rounds * Self.catchUpStatementsPerTable + Self.catchUpStatementsToComplete
        let statement = measured.write ?? measured.meta
        let work = 2 * read + Double(statements) * statement
        var basis =
            "the catalog read (2 × an information_schema read of \(ms(read))) + \(measured.tables) tables on"
            + " \(sessions) sessions (\(rounds) × \(Self.catchUpStatementsPerTable) statements + "
            + "\(Self.catchUpStatementsToComplete) to complete, of \(ms(statement)))"
        // A drop on a table OMS writes costs what creating the trigger there cost, not what the probe's idle table did.
        let dropDDL = measured.captureDDL ?? measured.ddl
        let dropBasis =
            measured.captureDDL == nil
            ? "DDL of \(ms(dropDDL))" : "trigger drops of \(ms(dropDDL)), as the online copy's creates took"
        let drops: Double
        if measured.capturesMadeInert {
            let large = measured.largeTables ?? 0
            drops = Double(3 * large) * dropDDL
            basis +=
                "; capture triggers made inert, not dropped"
                + (large > 0 ? ", but beside it \(3 * large) \(dropBasis) on \(large) large tables" : "")
        } else {
            drops = Double(3 * measured.tables) * dropDDL
            basis += "; beside it \(3 * measured.tables) \(dropBasis) (3 capture triggers per table)"
        }
        var seconds = max(work, drops)
        if drops > work { basis += ", the longer" }
        if let logged = measured.loggedRows {
            // The rows logged so far, plus one second of changes between this estimate and the catch-up.
            let rows = Double(logged) + (measured.changeRate ?? 0)
            seconds += rows * Self.catchUpSecondsPerRow
            basis += String(format: " + %.0f changed rows × 20 µs", rows)
        } else {
            basis += " + the rows changed since the online copy (measured just before the stop)"
        }
        return (seconds, basis)
    }

    /// The estimator for `plan`, with what the earlier finished runs of its deployment measured.
    public static func forPlan(_ plan: UpgradePlan) -> OutageEstimator {
        var estimator = OutageEstimator(stopTimeout: plan.options.stopTimeout)
        estimator.createsDuringStop = plan.nodes.allSatisfy { $0.renameOldTo == nil }
        let runs = (try? RunStore.loadAll(workDir: plan.options.workDir)) ?? []
        let key = plan.deploymentKey
        for run in runs.sorted(by: { $0.directory.runID < $1.directory.runID })
        where run.plan.deploymentKey == key && run.journal.replayed.phase != .upgrading {
            let state = run.journal.replayed
            for part in OutageEstimate.Part.allCases {
                let record = state.record(part.step)
                guard record.progress == .completed, record.attempts == 1, let seconds = record.duration else {
                    continue
                }
                if part == .initScript {
                    if run.plan.route.from == plan.route.from && run.plan.route.to == plan.route.to {
                        estimator.earlierInit = seconds
                    }
                } else if part != .catchUp {
                    estimator.earlier[part] = seconds
                }
            }
        }
        return estimator
    }

    /// A probe that did not work (its figure then falls back to a cruder one).
    struct ProbeFailed: Error {}

    /// Times `body` three times and returns the median, nil when it failed.
    static func median(_ body: () async throws -> Void) async -> Double? {
        var times: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<3 {
            let start = clock.now
            do { try await body() } catch { return nil }
            let elapsed = clock.now - start
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return times.sorted()[1]
    }

    /// Measures the engine, the metadata server and the tables; never fails (a probe that fails counts as slow).
    ///
    /// `realDDLDatabase`: a scratch database of the run's own, created and dropped here for a real table
    /// and trigger (just before the stop); nil at plan time (a temporary table then, which changes nothing).
    public static func measure(
        engine: any ContainerEngine, container: String, meta: ConnectionOptions, rmDatabase: String, tables: Int,
        realDDLDatabase: String? = nil
    ) async -> Measurements {
        let node = await measureNode(engine: engine, container: container)
        var metaSeconds = 0.01
        var ddlSeconds = 0.05
        var catalogSeconds: Double?
        var writeSeconds: Double?
        var inert = false
        do {
            try await AsyncConnection.with(options: meta) { connection in
                metaSeconds = await median { _ = try await connection.scalar("SELECT 1") } ?? metaSeconds
                inert = Connection.isOceanBase(serverVersion: connection.serverVersion)
                if let database = realDDLDatabase {
                    // A trigger created and dropped on a real table, as the catch-up drops the capture's; the mean
                    // of one. In a scratch database of the run's own, dropped after (never a snapshot or live one).
                    let table = SQL.qualified(database, "probe")
                    let trigger = SQL.qualified(database, "probe_t")
                    _ = try? await connection.execute("DROP DATABASE IF EXISTS \(SQL.quoteIdentifier(database))")
                    _ = try? await connection.execute("CREATE DATABASE \(SQL.quoteIdentifier(database))")
                    _ = try? await connection.execute("CREATE TABLE \(table) (i INT PRIMARY KEY)")
                    FaultInjection.reach("estimate.mid")
                    let ddl = await median {
                        _ = try await connection.execute(
                            "CREATE TRIGGER \(trigger) AFTER INSERT ON \(table) FOR EACH ROW SET @oms_estimate_probe = 1"
                        )
                        _ = try await connection.execute("DROP TRIGGER \(trigger)")
                    }
                    (writeSeconds, catalogSeconds) = await catchUpStatements(
                        connection, table: table, rmDatabase: rmDatabase)
                    _ = try? await connection.execute("DROP DATABASE IF EXISTS \(SQL.quoteIdentifier(database))")
                    if let ddl { ddlSeconds = max(ddl / 2, metaSeconds) }
                } else {
                    let probe = SQL.qualified(rmDatabase, "__oms_estimate_probe")
                    let ddl = await median {
                        _ = try await connection.execute("CREATE TEMPORARY TABLE \(probe) (i INT PRIMARY KEY)")
                        _ = try await connection.execute("DROP TEMPORARY TABLE \(probe)")
                    }
                    if let ddl { ddlSeconds = max(ddl / 2, metaSeconds) }
                    _ = try? await connection.execute("CREATE TEMPORARY TABLE \(probe) (i INT PRIMARY KEY)")
                    (writeSeconds, catalogSeconds) = await catchUpStatements(
                        connection, table: probe, rmDatabase: rmDatabase)
                    _ = try? await connection.execute("DROP TEMPORARY TABLE \(probe)")
                }
            }
        } catch {}
        var measured = Measurements(
            engine: node.engine, meta: metaSeconds, ddl: ddlSeconds, tables: tables, oldStart: node.oldStart,
            logRead: node.logRead)
        measured.catalogRead = catalogSeconds
        measured.write = writeSeconds.map { max($0, metaSeconds) }
        measured.capturesMadeInert = inert
        return measured
    }

    /// What the catch-up's statements cost: one autocommitted write on `table` (an insert and a delete,
    /// the median of three, halved), and one `information_schema` read of the rm database's columns,
    /// timed once: made right after DDL, as the catch-up's are, it does not find its plan cached.
    static func catchUpStatements(_ connection: AsyncConnection, table: String, rmDatabase: String) async
        -> (write: Double?, catalogRead: Double?)
    {
        let write = await median {
            _ = try await connection.execute("INSERT INTO \(table) (i) VALUES (1)")
            _ = try await connection.execute("DELETE FROM \(table) WHERE i = 1")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let read = try? await connection.query(
            "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = \(SQL.quoteString(rmDatabase))")
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (write.map { $0 / 2 }, read == nil ? nil : seconds)
    }

    /// What one node's engine and old container tell: one container operation (a probe that fails
    /// counts as a slow one, 1 s), one read of the log's tail, and the old container's own start.
    public static func measureNode(
        engine: any ContainerEngine, container: String
    ) async -> (engine: Double, logRead: Double?, oldStart: OldStart?) {
        let seconds =
            await median {
                let status = try await engine.exec(container, command: ["true"], timeoutSeconds: 30) { _ in }
                guard status == 0 else { throw ProbeFailed() }
            } ?? 1
        let logRead = await median { _ = try await engine.logs(container, tail: 20) }
        return (seconds, logRead, await readOldStart(engine: engine, container: container))
    }
}
