import Containers
import Foundation

/// The timeline of a run for people and machines: each step's state and timing, and the downtime.
public struct RunSummary: Codable, Sendable {
    /// One step's line in the timeline.
    public struct StepLine: Codable, Sendable {
        public var step: String
        public var summary: String
        public var state: String
        /// Seconds from the run's start to the step's start.
        public var startOffset: Double?
        public var duration: Double?
        public var attempts: Int
        public var message: String?
        /// What notes recorded during the step (in a journal of an earlier version, its results too).
        public var facts: [String: String]
        /// What the step returned when it completed, as journaled (docs/JOURNAL.md lists the types).
        public var result: JSONValue?
    }

    public var runID: String
    public var runDirectory: String
    public var phase: String
    public var oldContainer: String
    public var newContainer: String?
    public var image: String
    public var steps: [StepLine]
    /// Old container stopped → new container healthy.
    public var downtimeSeconds: Double?
    /// Old container stopped → init finished, the vendor's `docker_init.sh` included.
    public var stopToInitDoneSeconds: Double?
    /// The same span as ``stopToInitDoneSeconds`` under its first name, kept for readers of `status --json`
    /// that know it; it includes the vendor's init, which the tool does not control.
    public var toolControlledDowntimeSeconds: Double?
    /// The vendor's `docker_init.sh` inside the outage.
    public var initScriptSeconds: Double?
    /// The tool's own part of the outage: stopped → healthy less the vendor's init (what the estimate's
    /// "the tool's own part (all but init)" predicts).
    public var toolOwnPartSeconds: Double?
    /// Init finished → healthy: the service's own start.
    public var serviceStartSeconds: Double?
    /// Init finished → the new container wrote its started line (0 when it did while the init still
    /// ran): the new OMS's own start-up, part of ``serviceStartSeconds``; nil where the engine does not tell.
    public var newOMSStartupSeconds: Double?
    /// ``toolOwnPartSeconds`` less ``newOMSStartupSeconds``: what the tool itself spends of the outage,
    /// the old OMS's shutdown and the container engine's work included.
    public var toolWorkSeconds: Double?
    /// Run start → old container stopping: pre-prune, HA off and the online copy, while the old OMS serves.
    public var onlinePhaseSeconds: Double?
    /// The catch-up inside the downtime (proportional to the rows changed since the online copy).
    public var catchUpSeconds: Double?
    /// New container healthy → last step done: the backup from the snapshot and HA on, while the new OMS serves.
    public var afterPhaseSeconds: Double?
    /// Rollback: new container stopping → old container healthy (the snapshot was verified before).
    public var rollbackDowntimeSeconds: Double?
    public var rollbackReason: String?
    public var backupDirectory: String?
    public var snapshotDatabases: [String]
    /// What `resume` would do next, and what `rollback` would do, in words.
    public var resumeWouldDo: String
    public var rollbackWouldDo: String
    /// Which way a rollback would put the metadata back now: `snapshot swap`, `restore from the backup`,
    /// `nothing to put back` (the new OMS never ran) or `none` (neither is there); nil once rolled back.
    public var rollbackKind: String?
    /// What the run's verified backup holds: tables, views, triggers, routines and events, rows.
    public var backupHolds: String?
    /// Every run in the work directory (filled by `status`).
    public var runs: [RunListing]?
    /// The work directory's deployment lock: its holder (host, pid, run) and age (filled by `status`).
    public var lock: LockStatus?
    /// The nodes of a multi-node run (`10.0.0.2 [init]`), empty for one node; the unfinished
    /// ones of a rollback say so.
    public var nodes: [String] = []

    public init(plan: UpgradePlan, directory: RunDirectory, state: JournalState) {
        runID = directory.runID
        runDirectory = directory.url.path
        phase = state.phase.rawValue
        oldContainer = plan.options.container
        newContainer = plan.newContainerName
        image = plan.options.image
        let start = state.runStarted
        let sequence =
            state.phase == .rollingBack || state.phase == .rolledBack
            ? StepID.upgradeSequence + StepID.rollbackSequence : StepID.upgradeSequence
        steps = sequence.map { id in
            let record = state.record(id)
            return StepLine(
                step: id.rawValue, summary: id.summary, state: record.progress.rawValue,
                startOffset: seconds(from: start, to: record.started),
                duration: record.duration, attempts: record.attempts, message: record.message,
                facts: record.facts, result: record.result)
        }
        let stopped = state.record(.stopOld).started
        let initEnded = state.record(.initSchema).progress == .completed ? state.record(.initSchema).ended : nil
        let healthy = state.record(.health).progress == .completed ? state.record(.health).ended : nil
        downtimeSeconds = seconds(from: stopped, to: healthy)
        stopToInitDoneSeconds = seconds(from: stopped, to: initEnded)
        toolControlledDowntimeSeconds = stopToInitDoneSeconds
        let initSeconds = initEnded == nil ? nil : state.record(.initSchema).duration
        initScriptSeconds = initSeconds
        if let downtime = seconds(from: stopped, to: healthy), let initSeconds {
            toolOwnPartSeconds = downtime - initSeconds
        }
        serviceStartSeconds = seconds(from: initEnded, to: healthy)
        newOMSStartupSeconds = Self.newOMSStartup(state, initEnded: initEnded, serviceStart: serviceStartSeconds)
        if let own = toolOwnPartSeconds, let startup = newOMSStartupSeconds { toolWorkSeconds = own - startup }
        onlinePhaseSeconds = seconds(from: start, to: stopped)
        catchUpSeconds = state.record(.catchUp).progress == .completed ? state.record(.catchUp).duration : nil
        let lastUpgradeEnd = StepID.upgradeSequence.last.flatMap {
            state.record($0).progress == .completed ? state.record($0).ended : nil
        }
        afterPhaseSeconds = seconds(from: healthy, to: lastUpgradeEnd)
        let rollbackHealthy =
            state.record(.rollbackHealth).progress == .completed ? state.record(.rollbackHealth).ended : nil
        rollbackDowntimeSeconds = seconds(from: state.record(.rollbackStopNew).started, to: rollbackHealthy)
        rollbackReason = state.rollbackReason
        let backupResult = state.record(.backup).result(BackupResult.self)
        backupDirectory = backupResult?.directory
        snapshotDatabases =
            state.record(.catchUp).result(CatchUpResult.self)?.snapshotDatabases
            ?? state.record(.snapshot).result(SnapshotResult.self)?.snapshotDatabases ?? []
        switch state.phase {
        case .notStarted:
            resumeWouldDo = "start the upgrade from its first step"
        case .upgrading:
            resumeWouldDo =
                state.nextUpgradeStep.map { "continue the upgrade at step \($0.rawValue) (\($0.summary.lowercased()))" }
                ?? "finish the upgrade"
        case .upgraded:
            resumeWouldDo = "nothing: the upgrade finished"
        case .rollingBack:
            resumeWouldDo = "finish the rollback"
        case .rolledBack:
            resumeWouldDo = "nothing: the run was rolled back"
        }
        let unfinished = Set(UpgradeRunner.unfinishedNodes(state))
        nodes = plan.nodes.compactMap { node in
            node.ip.map { ip in
                ip + (node.runsInit ? " [init]" : "") + (unfinished.contains(ip) ? " (rollback unfinished)" : "")
            }
        }
        if state.record(.backup).progress == .completed, let backup = backupResult, let tables = backup.tables {
            backupHolds =
                "\(tables) tables, \(backup.objects ?? "no views, triggers or routines"), \(backup.rows) rows"
        }
        let kind = Self.rollbackKind(state, snapshotDatabases: snapshotDatabases)
        rollbackKind = kind
        rollbackWouldDo = Self.rollbackWouldDo(kind: kind, phase: state.phase)
        if state.phase == .rolledBack { rollbackKind = nil }
    }

    /// Init end → the latest started line of the nodes, within `[0, serviceStart]`; nil when a node's is unknown.
    static func newOMSStartup(_ state: JournalState, initEnded: Date?, serviceStart: Double?) -> Double? {
        guard let initEnded, let serviceStart,
            let nodes = state.record(.health).result(HealthResult.self)?.nodes.values, !nodes.isEmpty
        else { return nil }
        let said = nodes.map { $0.saidStartedAt.flatMap(EngineTimestamp.parse) }
        guard let latest = said.compactMap({ $0 }).max(), said.allSatisfy({ $0 != nil }) else { return nil }
        return min(max(0, latest.timeIntervalSince(initEnded)), serviceStart)
    }

    /// What `rollback` would do now, in words, given the way it would put the metadata back.
    static func rollbackWouldDo(kind: String, phase: JournalState.Phase) -> String {
        let data =
            switch kind {
            case "snapshot swap": "swap the pre-upgrade snapshot back"
            case "restore from the backup":
                "restore the verified backup (the snapshot is gone): tables, rows and every view, trigger and routine it holds"
            case "nothing to put back": "leave the metadata as it is (the new OMS never ran)"
            default: "find neither a snapshot nor a verified backup to put back, and stop"
            }
        return phase == .rolledBack
            ? "nothing: the run was already rolled back"
            : "stop the new container, \(data), restart the old container and put HA back as it was"
    }

    /// Which way a rollback would put the metadata back now, from the journal: the snapshot unless `cleanup`
    /// dropped it, else the verified backup.
    static func rollbackKind(_ state: JournalState, snapshotDatabases: [String]) -> String {
        guard state.didStart(.startNew) || state.didStart(.initSchema) else { return "nothing to put back" }
        let dropped = Set((state.runFacts[JournalFact.cleanedUp.rawValue] ?? "").split(separator: ",").map(String.init))
        let snapshotComplete = state.record(.catchUp).progress == .completed
        if snapshotComplete, !snapshotDatabases.isEmpty, dropped.isDisjoint(with: snapshotDatabases) {
            return "snapshot swap"
        }
        if state.record(.backup).progress == .completed { return "restore from the backup" }
        return "none"
    }

    /// The timeline as aligned text lines.
    public func renderText() -> String {
        var lines = ["Run \(runID): \(phase)", "  directory: \(runDirectory)"]
        lines.append(
            "  " + "step".padding(toLength: 20, withPad: " ", startingAt: 0)
                + "state".padding(toLength: 11, withPad: " ", startingAt: 0)
                + "start".padding(toLength: 10, withPad: " ", startingAt: 0) + "duration")
        for step in steps where step.state != "pending" || step.step.hasPrefix("rollback") == false {
            let start = step.startOffset.map { String(format: "+%.1fs", $0) } ?? "-"
            let duration = step.duration.map { String(format: "%.2fs", $0) } ?? "-"
            var line =
                "  " + step.step.padding(toLength: 20, withPad: " ", startingAt: 0)
                + step.state.padding(toLength: 11, withPad: " ", startingAt: 0)
                + start.padding(toLength: 10, withPad: " ", startingAt: 0) + duration
            if step.attempts > 1 { line += " (\(step.attempts) attempts)" }
            lines.append(line)
            if step.state == "failed", let message = step.message { lines.append("      \(message)") }
        }
        if let onlinePhaseSeconds {
            lines.append(
                String(
                    format: "Online phase (old OMS serving: pre-prune, HA off, online copy): %.1fs", onlinePhaseSeconds)
            )
        }
        if let downtimeSeconds {
            lines.append(
                String(
                    format:
                        "Downtime: %.1fs (stop to init done %.1fs, of which catch-up %.2fs and the vendor's init %.1fs; service start: init done to healthy %.1fs)",
                    downtimeSeconds, stopToInitDoneSeconds ?? 0, catchUpSeconds ?? 0, initScriptSeconds ?? 0,
                    serviceStartSeconds ?? 0))
            if let toolOwnPartSeconds {
                lines.append(String(format: "Downtime, the tool's own part (all but init): %.2fs", toolOwnPartSeconds))
            }
            if let newOMSStartupSeconds, let toolWorkSeconds {
                lines.append(
                    String(
                        format:
                            "  of which the new OMS's own start-up after its init %.2fs (until it logged that it started), the tool's work %.2fs",
                        newOMSStartupSeconds, toolWorkSeconds))
            }
        }
        if let afterPhaseSeconds {
            lines.append(
                String(
                    format: "After phase (new OMS serving: backup from the snapshot, HA on): %.1fs", afterPhaseSeconds))
        }
        if let rollbackDowntimeSeconds {
            lines.append(
                String(
                    format: "Rollback downtime (new stopped to old healthy; snapshot verified before): %.1fs",
                    rollbackDowntimeSeconds))
        }
        if !nodes.isEmpty { lines.append("Nodes: \(nodes.joined(separator: ", "))") }
        if let rollbackReason { lines.append("Rolled back because: \(rollbackReason)") }
        if let backupDirectory {
            lines.append("Backup: \(backupDirectory)" + (backupHolds.map { " (\($0))" } ?? ""))
        }
        if !snapshotDatabases.isEmpty { lines.append("Snapshot: \(snapshotDatabases.joined(separator: ", "))") }
        lines.append("resume would: \(resumeWouldDo)")
        if let rollbackKind { lines.append("rollback kind now: \(rollbackKind)") }
        lines.append("rollback would: \(rollbackWouldDo)")
        return lines.joined(separator: "\n")
    }
}

/// Seconds between two moments, nil unless both are known.
private func seconds(from start: Date?, to end: Date?) -> Double? {
    guard let start, let end else { return nil }
    return end.timeIntervalSince(start)
}
