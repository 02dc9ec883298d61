import Foundation
import MetaDB
import SandboxSupport
import Testing

@testable import UpgradeEngine

/// A killed session's DDL that the OceanBase kernel never ends is found and named before a run
/// would hang behind it.
@Suite struct HungDDLTests {
    @Test("only DDL statements of killed sessions older than a minute count as hung")
    func onlyOldKilledDDLCounts() {
        let listed = [
            HungDDL.Session(
                id: 7, seconds: 900, statement: "CREATE TRIGGER `a`.`t` AFTER INSERT ON `a`.`b` FOR EACH ROW SET @x = 1"
            ),
            HungDDL.Session(id: 8, seconds: 900, statement: "  drop trigger if exists `a`.`t`"),
            HungDDL.Session(id: 9, seconds: 30, statement: "RENAME TABLE a.b TO c.b"),
            HungDDL.Session(id: 10, seconds: 900, statement: "SELECT SLEEP(1000)"),
            HungDDL.Session(id: 11, seconds: 900, statement: "INSERT INTO a.b VALUES (1)"),
        ]
        #expect(HungDDL.hung(listed).map(\.id) == [7, 8])
    }

    @Test("the problem names the sessions, their age and statement, and the remedy names the restart")
    func problemNamesTheSessions() {
        let sessions = [
            HungDDL.Session(
                id: 3221, seconds: 1200,
                statement: "CREATE TRIGGER `rm`.`x` AFTER DELETE ON `rm`.`y` FOR EACH ROW SET @z = 1")
        ]
        let problem = HungDDL.problem(sessions, endpoint: "meta.example:2881")
        #expect(problem.contains("meta.example:2881"), "\(problem)")
        #expect(problem.contains("session 3221, for 1200 s: CREATE TRIGGER `rm`.`x`"), "\(problem)")
        #expect(problem.contains("would hang"), "\(problem)")
        #expect(HungDDL.remedy.contains("Restart the OceanBase server"), "\(HungDDL.remedy)")
        #expect(HungDDL.remedy.contains("Nothing has been changed"), "\(HungDDL.remedy)")
    }

    @Test("the DDL keywords are recognised whatever their case and leading space")
    func ddlKeywords() {
        for sql in [
            "CREATE TABLE t (a int)", "\n drop database d", "Alter table t add b int", "rename table a to b",
            "TRUNCATE t",
        ] {
            #expect(DDLFence.isDDL(sql), "\(sql)")
        }
        for sql in ["SELECT 1", "INSERT INTO t VALUES (1)", "created", "", "SET @a = 1"] {
            #expect(!DDLFence.isDDL(sql), "\(sql)")
        }
    }

    @Test(
        "on a healthy server nothing is listed and the plan adds no server-ddl check",
        .integration, .tags(.mariadb), arguments: MetadataServer.allCases)
    func healthyServerListsNothing(_ server: MetadataServer) async throws {
        let account = try Sandbox.mysql(server)
        let connection = try await AsyncConnection(
            options: ConnectionOptions(
                host: account.host, port: account.port, user: account.user, password: Secret(account.password),
                tls: .plaintext))
        let sessions = try await HungDDL.sessions(connection)
        let check = try await HungDDL.check(connection)
        await connection.close()
        #expect(sessions == [])
        #expect(check == nil)
    }
}
