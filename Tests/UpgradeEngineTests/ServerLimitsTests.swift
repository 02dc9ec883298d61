import Foundation
import MetaDB
import SandboxSupport
import Testing

@testable import UpgradeEngine

/// The plan's `server` check names, before anything stops, the tables whose capture triggers the
/// stop drops on the OceanBase kernel, and the time their `DROP TRIGGER`s take.
@Suite(.integration, .tags(.mariadb)) struct ServerLimitsTests {
    @Test("the server check names the large tables whose capture triggers go at the stop")
    func serverCheckNamesTheLargeTables() async throws {
        let account = try Sandbox.mysql(.oceanbase)
        let db = Sandbox.uniqueName("sl_large")
        defer { try? account.dropDatabases([db]) }
        let q = SandboxMySQL.quoteIdentifier(db)
        let digits =
            "(SELECT 0 n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
            + "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
        let tenThousand =
            "SELECT a.n + 10 * b.n + 100 * c.n + 1000 * d.n FROM \(digits) a, \(digits) b, \(digits) c, \(digits) d"
        _ = try account.query(
            """
            CREATE DATABASE \(q);
            CREATE TABLE \(q).big (id int NOT NULL PRIMARY KEY);
            CREATE TABLE \(q).beats (id int NOT NULL PRIMARY KEY);
            CREATE TABLE \(q).small (id int NOT NULL PRIMARY KEY);
            INSERT INTO \(q).big \(tenThousand);
            INSERT INTO \(q).beats \(tenThousand);
            INSERT INTO \(q).small VALUES (1);
            """)
        let connection = try await AsyncConnection(
            options: ConnectionOptions(
                host: account.host, port: account.port, user: account.user, password: Secret(account.password),
                tls: .plaintext))
        let checks = try await ServerLimits.checks(connection, databases: [db], pruned: ["\(db).beats"])
        let server = try #require(checks.first { $0.name == "server" })
        #expect(server.detail.contains("capture triggers of 3 tables are made inert"), "\(server.detail)")
        #expect(
            server.detail.contains(
                "those of the 1 tables with at least 10000 rows (\(db).big 10000) are dropped at the stop"),
            "the pruned heartbeat table is left out: \(server.detail)")
        #expect(server.detail.contains("(3 DROP TRIGGER statements, about 0.4 s)"), "\(server.detail)")
    }
}
