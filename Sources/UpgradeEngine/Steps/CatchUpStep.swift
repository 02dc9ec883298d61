import Foundation
import MetaDB
import MetaDump
import OnlineCopy

/// With the old OMS stopped, brings the online snapshot to exactly the live state: applies only the
/// rows changed since the copy, checks them, completes it; meanwhile removes the capture triggers.
/// Then records the databases' views, triggers, routines and events as they are at the stop
/// (``ObjectCapture``), which the backup written later from the snapshot needs.
struct CatchUpStep: RunStep {
    let id = StepID.catchUp

    func perform(_ context: RunContext, journal state: JournalState) async throws -> CatchUpResult {
        let databases = context.databases.all
        let label = SnapshotOperations.label(context, generation: 1)
        let snapshot = Snapshot(server: context.metaOptions, progress: context.reporter)
        // OMS is stopped: the triggers fire no more, so they are dropped (or, where DDL is slow, made
        // inert, those of large tables dropped, the rest once the new OMS serves) while the changes are applied.
        async let removal: (dropped: Int, seconds: TimeInterval) = {
            let started = Date()
            let dropped = try await snapshot.stopCapture(
                databases: databases, label: label, dropFromRows: ServerLimits.captureDroppedAtStopRows)
            return (dropped, Date().timeIntervalSince(started))
        }()
        // The objects as they are at the stop, before the new image's init can change them (definitions
        // only, capture triggers left out): read meanwhile, as nothing changes them while OMS is stopped.
        let captureStarted = Date()
        async let captured: (count: Int, seconds: TimeInterval) = {
            let count = try await ObjectCapture.capture(context)
            return (count, Date().timeIntervalSince(captureStarted))
        }()
        let records: [CatchUpRecord]
        let caughtUpSeconds: TimeInterval
        do {
            records = try await snapshot.catchUp(databases: databases, label: label) {
                FaultInjection.reach("catch-up.mid", context.interruption)
            }
            caughtUpSeconds = Date().timeIntervalSince(captureStarted)
        } catch {
            _ = try? await removal
            _ = try? await captured
            throw error
        }
        let objects: (count: Int, seconds: TimeInterval)
        do {
            objects = try await captured
        } catch {
            _ = try? await removal
            throw error
        }
        let removed = try await removal
        if removed.dropped > 0 {
            context.say(
                String(
                    format: "Dropped %d change-capture triggers at the stop (%.3fs).", removed.dropped, removed.seconds)
            )
        }
        context.say(
            String(
                format: "Recorded %d views, triggers, routines and events as they are at the stop (%.3fs).",
                objects.count,
                objects.seconds))
        let keys = records.reduce(Int64(0)) { $0 + $1.changedKeys }
        let whole = records.flatMap { record in record.tablesCopiedWhole.map { "\(record.database).\($0)" } }
        context.say(
            String(format: "Caught the snapshot up in %.3fs: ", caughtUpSeconds)
                + "\(keys) changed rows applied and checked"
                + (whole.isEmpty ? "." : "; copied whole: \(whole.joined(separator: ", "))."))
        return CatchUpResult(
            snapshotLabel: label,
            snapshotDatabases: records.map { (try? Snapshot.snapshotDatabase(of: $0.database, label: label)) ?? "" },
            changedRows: keys, copiedWhole: whole, objectsCaptured: objects.count)
    }
}

extension CatchUpStep {
    var summary: String { "Catch the snapshot up with the rows changed since the online copy, and prove it" }

    var multiNodeSummary: String {
        "Catch the snapshot of rm, cm and every region's heartbeat database up with the rows changed"
            + " since the online copy, and prove it"
    }

    var phase: StepPhase { .outage }

    /// By hand there is no online copy to catch up: the snapshot is taken whole, in the downtime.
    ///
    /// The server writes one CREATE … LIKE + INSERT … SELECT per table, each name quoted by the
    /// server; a second client runs them (raw output: a name's newline or backslash stays inside
    /// its backticks).
    func manualCommands(_ manual: ManualCommands, node: ManualCommands.Node) -> [String] {
        let mysql = ManualCommands.mysql
        return manual.databases.all.flatMap { database -> [String] in
            let snapshot = "\(database)__pre_\(manual.label)"
            let quoted = "CONCAT('`', REPLACE(TABLE_NAME, '`', '``'), '`')"
            let snapshotPrefix = ManualCommands.literal(SQL.quoteIdentifier(snapshot) + ".")
            let originalPrefix = ManualCommands.literal(SQL.quoteIdentifier(database) + ".")
            let generate =
                "SELECT CONCAT('CREATE TABLE ', \(snapshotPrefix), \(quoted), "
                + "' LIKE ', \(originalPrefix), \(quoted), '; INSERT INTO ', "
                + "\(snapshotPrefix), \(quoted), ' SELECT * FROM ', "
                + "\(originalPrefix), \(quoted), ';') "
                + "FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(ManualCommands.literal(database)) "
                + "AND TABLE_TYPE = 'BASE TABLE'"
            return [
                manual.client("CREATE DATABASE \(SQL.quoteIdentifier(snapshot))"),
                "\(mysql) -N -B -r -e \(ManualCommands.shellQuote(generate)) | \(mysql)",
            ]
        }
    }
}
