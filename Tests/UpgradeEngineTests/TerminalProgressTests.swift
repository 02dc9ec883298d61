import Foundation
import SandboxSupport
import Testing

/// Progress drawn by the real binary on a real pseudo-terminal, during a backup long enough to show it.
@Suite("terminal progress on a pseudo-terminal", .integration, .tags(.mariadb, .docker))
struct TerminalProgressPTYTests {
    /// A fixture deployment with a million heartbeat rows and fresh table statistics (the totals).
    static func deployment() throws -> FixtureDeployment {
        let deployment = try Sandbox.deployFixture(heartbeatRows: 1_000_000, projectRows: 2000)
        let mysql = try Sandbox.mysql()
        for database in deployment.databases {
            let tables = try mysql.rows(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                    + "\(SandboxMySQL.quoteString(database)) AND TABLE_TYPE = 'BASE TABLE'"
            ).map { $0[0] }
            for table in tables {
                _ = try mysql.query(
                    "ANALYZE TABLE \(SandboxMySQL.quoteIdentifier(database)).\(SandboxMySQL.quoteIdentifier(table))")
            }
        }
        return deployment
    }

    @Test(
        "auto on a terminal: one line per task redrawn in place with done of total and an ETA; plain: no escape code")
    func backupProgress() throws {
        let deployment = try Self.deployment()
        let output = try Sandbox.makePrivateTempDirectory()
        defer {
            deployment.removeAll()
            try? FileManager.default.removeItem(at: output)
        }
        let heartbeat = "dump \(deployment.cmHeartbeatDatabase).heatbeat_sequence:"

        let live = try PseudoTerminal.run([
            "backup", "--config", deployment.configPath.path,
            "--out", output.appending(path: "live").path, "--progress", "auto",
        ])
        #expect(live.status == 0, "\(live.output)")
        let redraws = live.output.components(separatedBy: "\r").filter { $0.hasSuffix("\u{1B}[K") }
        let heartbeatRedraws = redraws.filter { $0.hasPrefix(heartbeat) }
        #expect(!heartbeatRedraws.isEmpty, "the heartbeat dump was redrawn in place:\n\(live.output.debugDescription)")
        #expect(
            heartbeatRedraws.contains {
                $0.contains(" of ") && $0.contains("%") && $0.contains("ETA ") && $0.contains("rows/s")
            },
            "a live line shows rows done of the total, a rate and an ETA:\n\(heartbeatRedraws.joined(separator: "\n"))"
        )
        #expect(redraws.allSatisfy { $0.count <= 120 + 3 }, "no live line is wider than the terminal")
        let finished = live.output.components(separatedBy: "\n").filter {
            $0.contains(heartbeat) && $0.contains("done in")
        }
        #expect(finished.count == 1, "the finished task stays as one line:\n\(live.output.debugDescription)")
        #expect(live.output.contains("Backup verified"))

        let plain = try PseudoTerminal.run([
            "backup", "--config", deployment.configPath.path,
            "--out", output.appending(path: "plain").path, "--progress", "plain",
        ])
        #expect(plain.status == 0, "\(plain.output)")
        #expect(
            !plain.output.contains("\u{1B}"), "plain mode writes no escape code:\n\(plain.output.debugDescription)")
        // The terminal turns each newline into CR LF; plain mode itself writes no carriage return.
        #expect(!plain.output.replacingOccurrences(of: "\r\n", with: "\n").contains("\r"))
        let lines = plain.output.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
        let heartbeatLines = lines.filter { $0.hasPrefix(heartbeat) }
        // One line when the task ends (plus one every 10 s while a slow one runs, as on a loaded machine).
        let heartbeatDone = heartbeatLines.filter { $0.contains("done in") }
        #expect(heartbeatDone.count == 1, "one closing line per task in plain mode:\n\(plain.output)")
        #expect(heartbeatDone.first.map { $0.contains(" of ") } == true, "\(heartbeatLines)")
    }

    @Test("tmux screen: the running backup shows its total and an ETA; at its end one line per long task")
    func backupOnTmuxScreen() throws {
        let deployment = try Self.deployment()
        let output = try Sandbox.makePrivateTempDirectory()
        let screen = TmuxScreen()
        defer {
            screen.stop()
            deployment.removeAll()
            try? FileManager.default.removeItem(at: output)
        }
        let heartbeat = "dump \(deployment.cmHeartbeatDatabase).heatbeat_sequence:"
        try screen.start(["backup", "--config", deployment.configPath.path, "--out", output.appending(path: "b").path])
        var seenLive: String?
        var final: [String] = []
        // Reads the screen until the command has exited (the wait is a guard, not an assertion).
        let ended = try eventually(timeout: 300) {
            let lines = try screen.capture()
            if seenLive == nil {
                seenLive = lines.first { $0.hasPrefix(heartbeat) && $0.contains(" of ") && $0.contains("ETA ") }
            }
            final = lines
            return lines.contains { $0.hasPrefix("__EXIT__") }
        }
        #expect(ended, "the backup ended:\n\(final.joined(separator: "\n"))")
        #expect(final.contains("__EXIT__ 0"), "\(final.joined(separator: "\n"))")
        #expect(seenLive != nil, "the screen showed the heartbeat dump with its total and an ETA while it ran")
        #expect(
            final.filter { $0.hasPrefix(heartbeat) }.count == 1,
            "one line for the task on the screen:\n\(final.joined(separator: "\n"))")
        #expect(
            !final.contains { $0.contains("ETA ") }, "no stale live line is left:\n\(final.joined(separator: "\n"))")
        #expect(final.contains { $0.hasPrefix("Backup verified") })
    }
}
