import Foundation
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
        async let captured = ObjectCapture.capture(context)
        let records: [CatchUpRecord]
        do {
            records = try await snapshot.catchUp(databases: databases, label: label) {
                FaultInjection.reach("catch-up.mid", context.interruption)
            }
        } catch {
            _ = try? await removal
            _ = try? await captured
            throw error
        }
        let objects: Int
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
                format: "Recorded %d views, triggers, routines and events as they are at the stop (%.3fs).", objects,
                Date().timeIntervalSince(captureStarted)))
        let keys = records.reduce(Int64(0)) { $0 + $1.changedKeys }
        let whole = records.flatMap { record in record.tablesCopiedWhole.map { "\(record.database).\($0)" } }
        context.say(
            "Caught the snapshot up: \(keys) changed rows applied and checked"
                + (whole.isEmpty ? "." : "; copied whole: \(whole.joined(separator: ", "))."))
        return CatchUpResult(
            snapshotLabel: label,
            snapshotDatabases: records.map { (try? Snapshot.snapshotDatabase(of: $0.database, label: label)) ?? "" },
            changedRows: keys, copiedWhole: whole, objectsCaptured: objects)
    }
}
