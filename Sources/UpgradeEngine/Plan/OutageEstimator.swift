import Containers
import Foundation
import MetaDB
import MetaDump

/// Makes an ``OutageEstimate`` from what can be measured before the stop.
///
/// Measured: one round trip of the container engine (`docker inspect` of the old container, the
/// median of three), one metadata statement (`SELECT 1`), one DDL (a temporary table created and
/// dropped: it changes nothing), the number of tables, and, just before the stop, the rows the
/// change capture logged during the online copy and their rate. An earlier finished run of the
/// same deployment in the work directory gives its measured parts instead, and its init's
/// figure when its route was the same.
public struct OutageEstimator: Sendable {
    /// What was measured, in seconds unless said otherwise.
    public struct Measurements: Sendable, Equatable {
        /// One container engine round trip.
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

        public init(
            engine: Double, meta: Double, ddl: Double, tables: Int, loggedRows: Int64? = nil, changeRate: Double? = nil
        ) {
            self.engine = engine
            self.meta = meta
            self.ddl = ddl
            self.tables = tables
            self.loggedRows = loggedRows
            self.changeRate = changeRate
        }
    }

    /// Parts an earlier finished run of this deployment measured.
    public var earlier: [OutageEstimate.Part: Double] = [:]
    /// The init's seconds in an earlier run of the same route on this deployment.
    public var earlierInit: Double?
    /// The stop timeout `docker stop` is given: the most the stop can take.
    public var stopTimeout: Int
    /// Seconds the catch-up spends per logged row (replace, compare; measured on MariaDB 10.11: 20 µs).
    static let catchUpSecondsPerRow = 0.000_02

    public init(stopTimeout: Int, earlier: [OutageEstimate.Part: Double] = [:], earlierInit: Double? = nil) {
        self.stopTimeout = stopTimeout
        self.earlier = earlier
        self.earlierInit = earlierInit
    }

    /// The estimate from `measured`; `madeAt` says when (`plan`, `before the stop`).
    public func estimate(_ measured: Measurements, madeAt: String) -> OutageEstimate {
        func ms(_ seconds: Double) -> String { String(format: "%.0f ms", seconds * 1000) }
        func earlierItem(_ part: OutageEstimate.Part) -> OutageEstimate.Item? {
            earlier[part].map { .init(part: part, seconds: $0, basis: "an earlier run of this deployment took it") }
        }
        var items: [OutageEstimate.Item] = []
        items.append(
            earlierItem(.stop)
                ?? .init(
                    part: .stop, seconds: 3 * measured.engine,
                    basis:
                        "3 engine round trips of \(ms(measured.engine)); at most the stop timeout, \(stopTimeout) s,"
                        + " if the container ignores SIGTERM"))
        let perTable = 3 * measured.ddl + 4 * measured.meta
        var catchUp = Double(measured.tables) * perTable
        var basis = "\(measured.tables) tables × (3 DDL of \(ms(measured.ddl)) + 4 statements of \(ms(measured.meta)))"
        if let logged = measured.loggedRows {
            // The rows logged so far, plus one second of changes between this estimate and the catch-up.
            let rows = Double(logged) + (measured.changeRate ?? 0)
            catchUp += rows * Self.catchUpSecondsPerRow
            basis += String(format: " + %.0f changed rows × 20 µs", rows)
        } else {
            basis += " + the rows changed since the online copy (measured just before the stop)"
        }
        items.append(.init(part: .catchUp, seconds: catchUp, basis: basis))
        items.append(
            earlierItem(.prune)
                ?? .init(
                    part: .prune, seconds: 4 * measured.ddl + 2 * measured.meta,
                    basis: "4 DDL of \(ms(measured.ddl)) + 2 statements of \(ms(measured.meta))"))
        items.append(
            earlierItem(.start)
                ?? .init(
                    part: .start, seconds: 4 * measured.engine,
                    basis: "create and start: 4 engine round trips of \(ms(measured.engine))"))
        items.append(
            .init(
                part: .initScript, seconds: earlierInit,
                basis: earlierInit == nil
                    ? "the vendor's script cannot be known before it runs, and no earlier run of this route is here"
                    : "an earlier run of the same route on this deployment took it; the vendor's script may differ"))
        items.append(
            earlierItem(.health)
                ?? .init(
                    part: .health, seconds: 0.125 + 2 * measured.engine,
                    basis: "half a 250 ms probe interval + a probe and a log read of \(ms(measured.engine)) each"))
        return OutageEstimate(items: items, madeAt: madeAt, changeRate: measured.changeRate)
    }

    /// The estimator for `plan`, with what the earlier finished runs of its deployment measured.
    public static func forPlan(_ plan: UpgradePlan) -> OutageEstimator {
        var estimator = OutageEstimator(stopTimeout: plan.options.stopTimeout)
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
    public static func measure(
        engine: any ContainerEngine, container: String, meta: ConnectionOptions, rmDatabase: String, tables: Int
    ) async -> Measurements {
        let engineSeconds = await median { _ = try await engine.inspectContainer(container) } ?? 1
        var metaSeconds = 0.01
        var ddlSeconds = 0.05
        do {
            try await AsyncConnection.with(options: meta) { connection in
                metaSeconds = await median { _ = try await connection.scalar("SELECT 1") } ?? metaSeconds
                let probe = SQL.qualified(rmDatabase, "__oms_estimate_probe")
                let ddl = await median {
                    _ = try await connection.execute("CREATE TEMPORARY TABLE \(probe) (i INT PRIMARY KEY)")
                    _ = try await connection.execute("DROP TEMPORARY TABLE \(probe)")
                }
                // A temporary table's CREATE + DROP is two statements lighter than a real table's DDL.
                if let ddl { ddlSeconds = max(ddl, metaSeconds) }
            }
        } catch {}
        return Measurements(engine: engineSeconds, meta: metaSeconds, ddl: ddlSeconds, tables: tables)
    }
}
