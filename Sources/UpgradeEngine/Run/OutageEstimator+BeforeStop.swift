import Foundation
import MetaDB
import MetaDump
import OnlineCopy

extension OutageEstimator {
    /// Estimates the outage again just before the stop, now with the rows the change capture logged
    /// during the online copy and their rate; prints it and keeps it in the run's `estimate.json`.
    ///
    /// An estimate is advice: a probe that fails leaves a cruder figure, never a failed run.
    static func beforeStop(_ context: RunContext) async {
        let plan = context.plan
        let state = context.journal.replayed
        var logged: Int64 = 0
        var tables = plan.sizes.reduce(0) { $0 + $1.tables }
        var large: Int?
        do {
            (logged, tables, large) = try await capturedChanges(context)
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
            tables: tables, realDDLDatabase: probeDatabase(context))
        measured.loggedRows = logged
        measured.changeRate = rate
        measured.captureDDL = state.record(.onlineCopy).result(OnlineCopyResult.self)?.captureDDLSeconds
        measured.largeTables = large
        let madeAt = "before the stop"
        var estimate = forPlan(plan).estimate(measured, madeAt: madeAt)
        var title = "Estimated outage, measured just before the stop:"
        if context.nodes.count > 1 {
            estimate = await slowestNodes(context, shared: measured, madeAt: madeAt)
            title = "Estimated outage, measured just before the stop (each part is its slowest node's):"
        }
        context.say(([title] + estimate.lines()).joined(separator: "\n"))
        do {
            let data = try JSONEncoder.sortedPretty.encode(estimate)
            try DurableFile.writeAtomically(data, to: context.directory.estimateURL)
        } catch {
            context.log.write("outage estimate: could not write \(context.directory.estimateURL.path): \(error)")
        }
    }

    /// The rows the change capture logged in the run's snapshots so far, the live databases' base tables,
    /// and the tables the online copy found large (their capture triggers are dropped at the stop even
    /// where the others are made inert).
    private static func capturedChanges(_ context: RunContext) async throws -> (logged: Int64, tables: Int, large: Int)
    {
        let label = SnapshotOperations.label(context, generation: 1)
        let databases = context.databases.all
        return try await context.withConnection { connection -> (Int64, Int, Int) in
            var rows: Int64 = 0
            var base = 0
            var large = 0
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
                large += Int(
                    try await connection.scalar(
                        """
                        SELECT COUNT(*) FROM \(SQL.qualified(snapshot, Snapshot.markerTable))
                        WHERE kind = 'table' AND row_count >= \(ServerLimits.captureDroppedAtStopRows)
                        """
                    ).int64 ?? 0)
                base +=
                    Int(
                        try await connection.scalar(
                            """
                            SELECT COUNT(*) FROM information_schema.TABLES
                            WHERE TABLE_SCHEMA = \(SQL.quoteString(database)) AND TABLE_TYPE = 'BASE TABLE'
                            """
                        ).int64 ?? 0)
            }
            return (rows, base, large)
        }
    }

    /// The estimate of a multi-node run: every node stops and starts at once, so each part takes as
    /// long as its slowest node. The first node's figures are `shared`'s; each node's is logged.
    private static func slowestNodes(_ context: RunContext, shared measured: Measurements, madeAt: String) async
        -> OutageEstimate
    {
        var nodes: [NodeMeasurement] = []
        for (index, runNode) in context.nodes.enumerated() {
            let figures =
                index == 0
                ? (engine: measured.engine, logRead: measured.logRead, oldStart: measured.oldStart)
                : await measureNode(engine: runNode.engine, container: runNode.oldName)
            nodes.append(
                .init(
                    ip: runNode.ip ?? runNode.oldName, engine: figures.engine, oldStart: figures.oldStart,
                    runsInit: runNode.runsInit, logRead: figures.logRead))
        }
        let perNode = forPlan(context.plan).nodeEstimates(shared: measured, nodes: nodes, madeAt: madeAt)
        for node in perNode {
            context.log.write("outage estimate, node \(node.ip): \(node.estimate.lines().joined(separator: "; "))")
        }
        return combined(perNode, madeAt: madeAt)
    }
}

extension OutageEstimator {
    /// The scratch database the DDL probe just before the stop creates and drops: `<rm>__probe_<label>`,
    /// a sibling of the run's snapshots.
    static func probeDatabase(_ context: RunContext) -> String {
        "\(context.databases.rm)__probe_\(SnapshotOperations.label(context, generation: 1))"
    }

    /// The probe databases of this run that exist now: the one a process killed during the probe
    /// left behind (also under the name earlier versions gave it, `__oms_probe_<label>`).
    static func probeLeftovers(_ context: RunContext) async throws -> [String] {
        let names = [probeDatabase(context), "__oms_probe_" + SnapshotOperations.label(context, generation: 1)]
        return try await context.withConnection { connection in
            let listed = names.map(SQL.quoteString).joined(separator: ", ")
            let result = try await connection.query(
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (\(listed)) ORDER BY SCHEMA_NAME"
            )
            return result.rows.compactMap { $0[0].string }
        }
    }

    /// Drops the probe database a killed run left behind, before a resume or a rollback carries on;
    /// a failure is logged, never fatal (the database holds nothing but an empty table).
    static func dropProbeLeftovers(_ context: RunContext) async {
        do {
            let leftovers = try await probeLeftovers(context)
            guard !leftovers.isEmpty else { return }
            try await context.withConnection { connection in
                for database in leftovers {
                    try await connection.execute("DROP DATABASE IF EXISTS \(SQL.quoteIdentifier(database))")
                    context.say("Dropped \(database), the outage estimate's probe database an interrupted run left.")
                }
            }
        } catch {
            context.log.write("outage estimate: could not drop the probe database left behind: \(error)")
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
