import Foundation
import SandboxSupport

/// A content fingerprint of a multi-node deployment's rm and cm, to prove a rollback put them back.
///
/// The rows the fixture's continuous writer owns are left out (every node's old OMS writes them
/// while it runs), and so are the heartbeat databases, which grow with every beat.
struct MultiNodeFingerprint: Equatable, CustomStringConvertible {
    var tables: [String: String?]

    static func take(_ deployment: MultiNodeDeployment) throws -> MultiNodeFingerprint {
        let mysql = try Sandbox.mysql()
        var tables: [String: String] = [:]
        for database in [deployment.rmDatabase, deployment.cmDatabase] {
            let names = try mysql.rows(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                    + "\(SandboxMySQL.quoteString(database)) AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME"
            ).map { $0[0] }
            for name in names {
                let qualified = "\(SandboxMySQL.quoteIdentifier(database)).\(SandboxMySQL.quoteIdentifier(name))"
                guard let untouched = writerFree(table: name, database: database, deployment) else {
                    tables["\(database).\(name)"] = try mysql.rows("CHECKSUM TABLE \(qualified) EXTENDED").first?.last
                    continue
                }
                let columns = try mysql.rows(
                    "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                        + "\(SandboxMySQL.quoteString(database)) AND TABLE_NAME = \(SandboxMySQL.quoteString(name))"
                        + " ORDER BY ORDINAL_POSITION"
                ).map { "COALESCE(HEX(\(SandboxMySQL.quoteIdentifier($0[0]))), 'NULL')" }.joined(separator: ", ")
                tables["\(database).\(name)"] = try mysql.scalar(
                    "SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT_WS(',', \(columns)))), 0))"
                        + " FROM \(qualified) WHERE \(untouched)")
            }
        }
        return MultiNodeFingerprint(tables: tables)
    }

    /// The rows of `table` the fixture's writer does not own, nil when it owns none.
    private static func writerFree(table: String, database: String, _ deployment: MultiNodeDeployment) -> String? {
        switch (database, table) {
        case (deployment.rmDatabase, "oms_alarm_event"): "project_id <> '\(FixtureWriter.marker)'"
        case (deployment.cmDatabase, "task"): "task_type <> '\(FixtureWriter.marker)'"
        case (deployment.cmDatabase, "config_job"): "`key` <> '\(FixtureWriter.stateKey)'"
        default: nil
        }
    }

    var description: String {
        tables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value ?? "?")" }.joined(separator: " ")
    }
}
