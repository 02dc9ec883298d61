import Foundation

/// The fixture's continuous writer (`fixtures/oms-image/common/oms_writer.sh`) as tests see it:
/// its acknowledgement log and the checks that every acknowledged write is in the metadata.
///
/// Transaction S inserts a row marked `S` into `rm.oms_alarm_event` and `cm.task`, deletes the
/// rows of S-20 from both, inserts a heartbeat and sets `cm.config_job` `fixture.writer.last_seq`
/// to S, all in one transaction; a line `ack seq=S hb=ID at=µs us=µs` follows its COMMIT.
public enum FixtureWriter {
    /// How many transactions' rows the writer keeps (older ones it deletes).
    public static let keep: Int64 = 20
    /// The marker in `rm.oms_alarm_event.project_id` and `cm.task.task_type`.
    public static let marker = "fixture_writer"
    /// The `cm.config_job` key holding the last committed transaction number.
    public static let stateKey = "fixture.writer.last_seq"

    /// A SQL condition that is true for rows the writer does NOT own in `database`.`table`, or nil
    /// when the writer never touches that table. `rm`/`cm` name the deployment's databases.
    public static func untouchedRows(table: String, database: String, deployment: FixtureDeployment) -> String? {
        untouchedRows(
            table: table, database: database, rmDatabase: deployment.rmDatabase, cmDatabase: deployment.cmDatabase)
    }

    /// The same for a deployment whose rm and cm databases are named `rmDatabase` and `cmDatabase`
    /// (every node of a multi-node deployment runs a writer on the same two).
    public static func untouchedRows(table: String, database: String, rmDatabase: String, cmDatabase: String) -> String?
    {
        switch (database, table) {
        case (rmDatabase, "oms_alarm_event"): "project_id <> '\(marker)'"
        case (cmDatabase, "task"): "task_type <> '\(marker)'"
        case (cmDatabase, "config_job"): "`key` <> '\(stateKey)'"
        default: nil
        }
    }

    /// One acknowledged transaction.
    public struct Ack: Sendable, Equatable {
        /// The transaction number.
        public var seq: Int64
        /// The id of the heartbeat row it inserted.
        public var heartbeatID: Int64
        /// When COMMIT returned (µs since the epoch).
        public var at: Int64
        /// How long the transaction took (µs, client start to COMMIT returned).
        public var latencyMicros: Int64
    }
}

extension FixtureDeployment {
    /// The writer's acknowledgement log on the logs mount.
    public var writerAckFile: URL { logsDirectory.appendingPathComponent("oms_fixture_writer.ack") }

    /// Every transaction the writer saw committed so far, oldest first (empty before its first).
    public func writerAcks() throws -> [FixtureWriter.Ack] {
        guard FileManager.default.fileExists(atPath: writerAckFile.path) else { return [] }
        let text = try String(contentsOf: writerAckFile, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> FixtureWriter.Ack? in
            var fields: [String: Int64] = [:]
            for part in line.split(separator: " ").dropFirst() {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2, let value = Int64(pair[1]) { fields[String(pair[0])] = value }
            }
            // A line cut short by a kill has no latency yet: it was not fully acknowledged.
            guard line.hasPrefix("ack "), let seq = fields["seq"], let hb = fields["hb"], let at = fields["at"],
                let us = fields["us"]
            else { return nil }
            return FixtureWriter.Ack(seq: seq, heartbeatID: hb, at: at, latencyMicros: us)
        }
    }

    /// Waits until the writer has acknowledged at least `count` more transactions than `after`.
    public func waitForWriterAcks(_ count: Int, after: Int = 0, timeout: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if ((try? writerAcks().count) ?? 0) >= after + count { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return false
    }

    /// What is wrong with the live metadata against the writer's acknowledgements: every
    /// acknowledged write present (and every acknowledged delete done), and the three databases
    /// consistent with each other (each transaction whole or absent). Empty when all is well.
    ///
    /// - Parameter acks: the acknowledgements to check (default: the whole log).
    public func writerProblems(acks given: [FixtureWriter.Ack]? = nil) throws -> [String] {
        let acks = try given ?? writerAcks()
        let mysql = try self.mysql()
        let rm = SandboxMySQL.quoteIdentifier(rmDatabase)
        let cm = SandboxMySQL.quoteIdentifier(cmDatabase)
        let hb = SandboxMySQL.quoteIdentifier(cmHeartbeatDatabase)
        let marker = SandboxMySQL.quoteString(FixtureWriter.marker)
        // One statement, so one consistent read view: the writer may be running.
        let rows = try mysql.rows(
            """
            SELECT 's', COALESCE(MAX(CAST(value AS UNSIGNED)), 0) FROM \(cm).config_job WHERE `key` = \(SandboxMySQL.quoteString(FixtureWriter.stateKey))
            UNION ALL SELECT 'r', content FROM \(rm).oms_alarm_event WHERE project_id = \(marker)
            UNION ALL SELECT 'c', params FROM \(cm).task WHERE task_type = \(marker)
            UNION ALL SELECT 'h', COALESCE(MAX(id), 0) FROM \(hb).heatbeat_sequence
            """)
        func values(_ kind: String) -> [Int64] { rows.filter { $0.first == kind }.compactMap { Int64($0[1]) } }
        let state = values("s").first ?? -1
        let rmSeqs = Set(values("r"))
        let cmSeqs = Set(values("c"))
        let maxHeartbeat = values("h").first ?? -1

        var problems: [String] = []
        if rmSeqs != cmSeqs {
            problems.append(
                "rm and cm disagree: only in rm \(rmSeqs.subtracting(cmSeqs).sorted()), only in cm \(cmSeqs.subtracting(rmSeqs).sorted()) (rm \(rmSeqs.sorted()), last_seq \(state), last ack \(acks.last?.seq ?? 0))"
            )
        }
        if state > 0 && rmSeqs.max() != state {
            problems.append(
                "cm.config_job says transaction \(state) was the last, rm's newest row is \(rmSeqs.max().map(String.init) ?? "none")"
            )
        }
        if let last = acks.map(\.seq).max(), state < last {
            problems.append("transaction \(last) was acknowledged but cm.config_job holds \(state)")
        }
        let missing = acks.filter { $0.seq > state - FixtureWriter.keep && !rmSeqs.contains($0.seq) }.map(\.seq)
        if !missing.isEmpty { problems.append("acknowledged inserts missing: \(missing.prefix(20))") }
        let undeleted = acks.map { $0.seq - FixtureWriter.keep }.filter { $0 > 0 && rmSeqs.contains($0) }
        if !undeleted.isEmpty { problems.append("acknowledged deletes undone: \(undeleted.prefix(20))") }
        if let newestBeat = acks.map(\.heartbeatID).max(), maxHeartbeat < newestBeat {
            problems.append("heartbeat \(newestBeat) was acknowledged but the newest row is \(maxHeartbeat)")
        }
        return problems
    }
}
