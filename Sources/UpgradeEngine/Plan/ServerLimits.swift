import Foundation
import MetaDB

/// What the metadata server makes the upgrade do in the outage instead of online, said by the
/// plan before anything stops, with the consequence in numbers.
enum ServerLimits {
    /// Rows per second assumed for a table copied whole in the outage (a server-side
    /// `INSERT … SELECT`; measured 0.1-1 M rows/s on the sandbox's servers), for the estimate.
    static let outageCopyRowsPerSecond = 100_000.0
    /// Seconds one DDL statement takes on the OceanBase kernel (0.2-0.5 s measured on seekdb 1.4).
    static let oceanBaseSecondsPerDDL = 0.3
    /// Seconds one `DROP TRIGGER` takes on the OceanBase kernel, for the estimate: measured on seekdb 1.4,
    /// 0.02 s at load average 1-3 and 0.17 s at 20 (18 in 3.0 s at the stop of the 1M benchmark);
    /// sessions in parallel are no faster, the server runs DDL one at a time.
    static let oceanBaseSecondsPerTriggerDrop = 0.15
    /// Tables with at least this many rows (the online copy's count) lose their capture triggers at the
    /// stop on the OceanBase kernel; smaller tables' stay there, inert, until the new OMS serves.
    ///
    /// An inert trigger still runs for each row written, and the new image's init may update a whole
    /// table: 0.14 ms a row on a quiet seekdb (an update of every row of a 100,000-row table took 14.9 s
    /// with the inert trigger, 0.7 s without), against three `DROP TRIGGER`s at 0.02 s. Below this
    /// size an init's full-table update pays at most about 1.4 s; above it the drops cost less than the
    /// rows would, and the thousands of small tables of a deployment add no DDL to the outage.
    public static let captureDroppedAtStopRows: Int64 = 10_000

    /// The checks: `change-capture` (tables the online copy cannot follow, copied whole in the
    /// outage) and, on the OceanBase kernel, `server` (the lease lock and the DDL in the outage) and,
    /// when a killed session's DDL hangs there, a failed `server-ddl` (``HungDDL``).
    ///
    /// `pruned` (`database.table`, the heartbeat tables) are pruned before the online copy: their rows
    /// now do not make them large tables at the stop.
    static func checks(_ connection: AsyncConnection, databases: [String], pruned: Set<String> = []) async throws
        -> [PreflightCheck]
    {
        let oceanBase = Connection.isOceanBase(serverVersion: connection.serverVersion)
        let census = try await TableCensus.take(connection, databases: databases, pruned: pruned, oceanBase: oceanBase)
        var checks = [changeCaptureCheck(census)]
        if let hung = try await HungDDL.check(connection) { checks.append(hung) }
        if oceanBase { checks.append(serverCheck(census, serverVersion: connection.serverVersion)) }
        return checks
    }

    /// The tables the online copy follows and those it copies whole in the outage, with their rows.
    struct TableCensus {
        /// Tables with a single-column integer primary key: the change capture follows them.
        var captured = 0
        /// On the OceanBase kernel, the captured tables with at least ``captureDroppedAtStopRows`` rows.
        var large: [(name: String, rows: Int64)] = []
        /// Tables without such a key, copied whole in the outage.
        var whole: [(name: String, rows: Int64)] = []

        /// Reads every base table of `databases`; on the OceanBase kernel counts the rows (`TABLE_ROWS`
        /// is 0 there until `ANALYZE TABLE`).
        static func take(_ connection: AsyncConnection, databases: [String], pruned: Set<String>, oceanBase: Bool)
            async throws -> TableCensus
        {
            var census = TableCensus()
            for database in databases {
                let rows = try await connection.query(
                    """
                    SELECT t.TABLE_NAME, COALESCE(t.TABLE_ROWS, 0),
                      (SELECT COUNT(*) FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA
                         AND c.TABLE_NAME = t.TABLE_NAME AND c.COLUMN_KEY = 'PRI'),
                      (SELECT COUNT(*) FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA
                         AND c.TABLE_NAME = t.TABLE_NAME AND c.COLUMN_KEY = 'PRI'
                         AND c.DATA_TYPE IN ('tinyint', 'smallint', 'mediumint', 'int', 'bigint'))
                    FROM information_schema.TABLES t
                    WHERE t.TABLE_SCHEMA = \(SQL.quoteString(database)) AND t.TABLE_TYPE = 'BASE TABLE'
                    ORDER BY t.TABLE_NAME
                    """
                ).rows
                for row in rows {
                    guard let table = row[0].string else { continue }
                    if row[2].int64 == 1 && row[3].int64 == 1 {
                        census.captured += 1
                        // TABLE_ROWS is 0 there until ANALYZE TABLE: counted.
                        if oceanBase && !pruned.contains("\(database).\(table)") {
                            let count =
                                try await connection.scalar("SELECT COUNT(*) FROM \(SQL.qualified(database, table))")
                                .int64 ?? 0
                            if count >= captureDroppedAtStopRows {
                                census.large.append(("\(database).\(table)", count))
                            }
                        }
                        continue
                    }
                    var count = row[1].int64 ?? 0
                    if oceanBase {
                        // TABLE_ROWS is 0 there until ANALYZE TABLE.
                        count =
                            try await connection.scalar("SELECT COUNT(*) FROM \(SQL.qualified(database, table))")
                            .int64 ?? 0
                    }
                    census.whole.append(("\(database).\(table)", count))
                }
            }
            return census
        }
    }

    /// `change-capture`: passes when the online copy follows every table, else warns of the rows
    /// copied whole in the outage.
    private static func changeCaptureCheck(_ census: TableCensus) -> PreflightCheck {
        let whole = census.whole
        if whole.isEmpty {
            return .pass(
                "change-capture",
                "Every table has a single-column integer primary key: the outage copies only the rows changed since the online copy."
            )
        }
        let rows = whole.reduce(0) { $0 + $1.rows }
        let seconds = Double(rows) / outageCopyRowsPerSecond
        let names = whole.prefix(8).map(\.name).joined(separator: ", ") + (whole.count > 8 ? ", …" : "")
        return .warn(
            "change-capture",
            "No change capture for \(whole.count) table(s) without a single-column integer primary key "
                + "(\(names)): about \(rows) rows copied whole in the outage, about "
                + "\(String(format: "%.1f", seconds)) s at \(Int(outageCopyRowsPerSecond)) rows/s.",
            remedy: "Nothing to do; give such tables an integer primary key to shorten the outage.")
    }

    /// `server`, on the OceanBase kernel: the lease lock, and the DDL the outage runs there.
    private static func serverCheck(_ census: TableCensus, serverVersion: String) -> PreflightCheck {
        let (captured, large, whole) = (census.captured, census.large, census.whole)
        // In the outage: a DROP and a CREATE per table copied whole. The heartbeat prune there is
        // one DELETE of the rows from the online pre-prune's bound up (PruneStep), and the capture
        // triggers of the `captured` tables are made inert by one DML statement at the stop; those
        // of the large ones are dropped then, while the catch-up runs, the others after the stop
        // (Snapshot.stopCapture / finishCapture).
        let ddl = 2 * whole.count
        let seconds = Double(ddl) * oceanBaseSecondsPerDDL
        let drops = 3 * large.count
        let largeNames = large.prefix(8).map { "\($0.name) \($0.rows)" }.joined(separator: ", ")
        let atStop =
            large.isEmpty
            ? "no table has \(captureDroppedAtStopRows) rows, so none are dropped at the stop; "
            : "those of the \(large.count) tables with at least \(captureDroppedAtStopRows) rows ("
                + largeNames + (large.count > 8 ? ", …" : "")
                + ") are dropped at the stop, while the catch-up runs (\(drops) DROP TRIGGER statements, about "
                + String(format: "%.1f", Double(drops) * oceanBaseSecondsPerTriggerDrop)
                + " s): an inert trigger still runs for every row the new image's init writes; "
        return .warn(
            "server",
            "The metadata server is the OceanBase kernel (\(serverVersion)). It never frees a "
                + "dead session's GET_LOCK, so the deployment is held by a lease (\(LockTiming.defaultLeaseSeconds) s unless "
                + "OMS_UPGRADE_LEASE_SECONDS says otherwise) "
                + "in \(DeploymentLease.table) (a run killed with SIGKILL holds it for at most that long). "
                + "Each DDL statement takes hundreds of milliseconds there: the capture triggers of "
                + "\(captured) tables are made inert at the stop and dropped once the new OMS serves; "
                + atStop
                + "the heartbeat rows left after the online prune go with one DELETE; the outage runs "
                + (ddl == 0
                    ? "no DDL statement."
                    : "\(ddl) DDL statements (tables copied whole), about "
                        + "\(String(format: "%.1f", seconds)) s at \(oceanBaseSecondsPerDDL) s each."),
            remedy: nil)
    }
}
