import Foundation
import SandboxSupport

/// A content fingerprint of a fixture's metadata, to prove that a command changed nothing (or restored everything).
///
/// rm and cm are compared whole (`CHECKSUM TABLE` per table plus the table list), except the rows
/// of the fixture's continuous writer (see ``FixtureWriter``). The heartbeat
/// table keeps growing while OMS runs, so only its rows up to a given id are compared.
struct DataFingerprint: Equatable, CustomStringConvertible {
    var tables: [String: String]

    static func take(_ deployment: FixtureDeployment, heartbeatUpTo maxID: Int64? = nil) throws -> DataFingerprint {
        let mysql = try deployment.mysql()
        var tables = try take(
            rmDatabase: deployment.rmDatabase, cmDatabase: deployment.cmDatabase, server: deployment.server
        ).tables
        let heartbeat = "\(SandboxMySQL.quoteIdentifier(deployment.cmHeartbeatDatabase)).`heatbeat_sequence`"
        let limit = maxID.map { " WHERE id <= \($0)" } ?? ""
        tables["heartbeat"] =
            try mysql.scalar(
                "SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT_WS(',', id, gmt_created, gmt_modified))), 0)) FROM \(heartbeat)\(limit)"
            ) ?? "?"
        return DataFingerprint(tables: tables)
    }

    /// rm and cm only, without the rows the fixture's writers own (a multi-node deployment: its
    /// heartbeat databases grow with every beat of every node).
    static func take(rmDatabase: String, cmDatabase: String, server: MetadataServer = .mariadb) throws
        -> DataFingerprint
    {
        let mysql = try Sandbox.mysql(server)
        var tables: [String: String] = [:]
        for database in [rmDatabase, cmDatabase] {
            let names = try mysql.rows(
                """
                SELECT TABLE_NAME FROM information_schema.TABLES
                WHERE TABLE_SCHEMA = \(SandboxMySQL.quoteString(database)) AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME
                """
            ).map { $0[0] }
            for name in names {
                let qualified = "\(SandboxMySQL.quoteIdentifier(database)).\(SandboxMySQL.quoteIdentifier(name))"
                let untouched = FixtureWriter.untouchedRows(
                    table: name, database: database, rmDatabase: rmDatabase, cmDatabase: cmDatabase)
                // The fixture's writer changes its own rows all the time: fingerprint the others. The
                // OceanBase kernel has no CHECKSUM TABLE: a sum over rows there.
                if untouched != nil || server == .oceanbase {
                    let untouched = untouched ?? "TRUE"
                    let columns = try mysql.rows(
                        """
                        SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = \(SandboxMySQL.quoteString(database))
                        AND TABLE_NAME = \(SandboxMySQL.quoteString(name)) ORDER BY ORDINAL_POSITION
                        """
                    ).map { "COALESCE(HEX(\(SandboxMySQL.quoteIdentifier($0[0]))), 'NULL')" }.joined(separator: ", ")
                    tables["\(database).\(name)"] =
                        try mysql.scalar(
                            "SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT_WS(',', \(columns)))), 0)) FROM \(qualified) WHERE \(untouched)"
                        ) ?? "?"
                    continue
                }
                let row = try mysql.rows("CHECKSUM TABLE \(qualified) EXTENDED").first ?? []
                tables["\(database).\(name)"] = row.last ?? "?"
            }
        }
        return DataFingerprint(tables: tables)
    }

    static func heartbeatMaxID(_ deployment: FixtureDeployment) throws -> Int64 {
        Int64(
            try deployment.mysql().scalar(
                "SELECT COALESCE(MAX(id), 0) FROM \(SandboxMySQL.quoteIdentifier(deployment.cmHeartbeatDatabase)).`heatbeat_sequence`"
            ) ?? "0") ?? 0
    }

    var description: String { tables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
}

extension FixtureDeployment {
    /// Whether the container named `name` (default: this deployment's) is running.
    func isRunning(_ name: String? = nil) throws -> Bool {
        let result = try Sandbox.run("docker", ["inspect", "--format", "{{.State.Running}}", name ?? containerName])
        return result.status == 0 && result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "true"
    }

    /// Removes the deployment plus every container and sibling database an upgrade made for it.
    func removeAll(extraContainers: [String] = []) {
        if !extraContainers.isEmpty { _ = try? Sandbox.run("docker", ["rm", "-f"] + extraContainers) }
        if let mysql = try? self.mysql() {
            for prefix in [rmDatabase, cmDatabase, cmHeartbeatDatabase] {
                let siblings =
                    (try? mysql.rows(
                        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE \(SandboxMySQL.quoteString(prefix + "\\_\\_%"))"
                    ).map { $0[0] }) ?? []
                try? mysql.dropDatabases(siblings)
            }
        }
        try? remove()
    }
}
