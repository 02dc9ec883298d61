import Foundation
import MetaDB
import MetaDump

extension OutageEstimator {
    /// Estimates the outage again just before the stop, now with the rows the change capture logged
    /// during the online copy and their rate; prints it and keeps it in the run's `estimate.json`.
    ///
    /// An estimate is advice: a probe that fails leaves a cruder figure, never a failed run.
    static func beforeStop(_ context: RunContext) async {
        let plan = context.plan
        let state = context.journal.replayed
        let label = SnapshotOperations.label(context, generation: 1)
        let databases = context.databases.all
        var logged: Int64 = 0
        var tables = plan.sizes.reduce(0) { $0 + $1.tables }
        do {
            let counts = try await context.withConnection { connection -> (Int64, Int) in
                var rows: Int64 = 0
                var base = 0
                for database in databases {
                    let snapshot = try Snapshot.snapshotDatabase(of: database, label: label)
                    let names = try await connection.query(
                        """
                        SELECT TABLE_NAME FROM information_schema.TABLES
                        WHERE TABLE_SCHEMA = \(SQL.quoteString(snapshot)) AND TABLE_NAME LIKE '\\_\\_oms\\_chg\\_%'
                        """)
                    for row in names {
                        guard let name = row[0].string else { continue }
                        rows +=
                            try await connection.scalar("SELECT COUNT(*) FROM \(SQL.qualified(snapshot, name))")
                            .int64 ?? 0
                    }
                    base +=
                        Int(
                            try await connection.scalar(
                                """
                                SELECT COUNT(*) FROM information_schema.TABLES
                                WHERE TABLE_SCHEMA = \(SQL.quoteString(database)) AND TABLE_TYPE = 'BASE TABLE'
                                """
                            ).int64 ?? 0)
                }
                return (rows, base)
            }
            logged = counts.0
            tables = counts.1
        } catch {
            context.log.write("outage estimate: could not count the captured changes: \(error)")
        }
        var rate: Double?
        if let since = state.record(.onlineCopy).started {
            let elapsed = Date().timeIntervalSince(since)
            if elapsed > 0 { rate = Double(logged) / elapsed }
        }
        guard let node = context.nodes.first else { return }
        var measured = await measure(
            engine: node.engine, container: node.oldName, meta: context.metaOptions, rmDatabase: plan.databases.rm,
            tables: tables, realDDLDatabase: "__oms_probe_" + label)
        measured.loggedRows = logged
        measured.changeRate = rate
        let estimate = forPlan(plan).estimate(measured, madeAt: "before the stop")
        context.say((["Estimated outage, measured just before the stop:"] + estimate.lines()).joined(separator: "\n"))
        do {
            let data = try JSONEncoder.sortedPretty.encode(estimate)
            try DurableFile.writeAtomically(data, to: context.directory.estimateURL)
        } catch {
            context.log.write("outage estimate: could not write \(context.directory.estimateURL.path): \(error)")
        }
    }
}

extension JSONEncoder {
    /// Sorted keys, pretty-printed: files a person may read.
    static var sortedPretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
}
