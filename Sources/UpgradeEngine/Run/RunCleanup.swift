import MetaDB

/// Drops the sibling databases a finished run left behind: its snapshots and quarantines, and the
/// outage estimate's probe database when a killed process left it.
///
/// After a confirmed upgrade the snapshot is the way back; after a rollback the quarantine holds
/// the upgraded tables for inspection. Both are kept until the operator says they may go.
public enum RunCleanup {
    /// The run's sibling databases that exist now.
    public static func leftovers(_ context: RunContext) async throws -> [String] {
        let prefix = SnapshotOperations.label(context, generation: 0).dropLast()
        return try await context.withConnection { connection in
            var names: [String] = []
            for database in context.databases.all {
                for kind in ["pre", "quarantine"] {
                    let pattern =
                        "\(database)__\(kind)_\(prefix)"
                        .replacingOccurrences(of: "\\", with: "\\\\")
                        .replacingOccurrences(of: "_", with: "\\_")
                        .replacingOccurrences(of: "%", with: "\\%") + "%"
                    let result = try await connection.query(
                        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE \(SQL.quoteString(pattern)) ORDER BY SCHEMA_NAME"
                    )
                    names += result.rows.compactMap { $0[0].string }
                }
            }
            return names
        } + OutageEstimator.probeLeftovers(context)
    }

    /// Drops `databases` (names from ``leftovers(_:)``) after checking the run is over.
    public static func drop(_ context: RunContext, databases: [String]) async throws {
        let phase = context.journal.replayed.phase
        guard phase == .upgraded || phase == .rolledBack else {
            throw EngineError.invalidState(
                "run \(context.directory.runID) is \(phase.rawValue); finish it (resume or rollback) before dropping its snapshot"
            )
        }
        try await context.withConnection { connection in
            for database in databases {
                try await connection.execute("DROP DATABASE IF EXISTS \(SQL.quoteIdentifier(database))")
                context.say("Dropped \(database).")
            }
            try context.journal.append(.note, facts: [.cleanedUp: databases.joined(separator: ",")])
        }
    }
}
