import Foundation
import MetaDump
import UpgradeEngine

extension ReportModel {
    /// Builds the model from what a run directory holds (pure: no file or server is read here).
    ///
    /// - Parameters:
    ///   - after: checksums of the live tables (database → table → checksum), nil when not computed.
    ///   - afterSource: where `after` came from, or why it is missing, in words.
    ///   - secrets: strings that must never appear (the metadata password): replaced wherever they occur.
    public init(
        runID: String, runDirectory: String, plan: UpgradePlan, entries: [JournalEntry],
        manifest: BackupManifest?, after: [String: [String: TableChecksum]]?, afterSource: String,
        logLines: [String], generatedAt: Date = Date(), secrets: [String] = []
    ) {
        let redact = Redactor(secrets: secrets)
        let state = JournalState(entries: entries)
        let summary = RunSummary(
            plan: plan,
            directory: RunDirectory(
                workDir: URL(filePath: plan.options.workDir),
                runID: runID), state: state)
        self.runID = runID
        self.runDirectory = runDirectory
        phase = state.phase.rawValue
        self.generatedAt = generatedAt
        headline = "\(plan.options.container) → \(plan.options.image)"
        deployment = Self.deploymentFacts(plan)
        route = Self.routeFacts(plan)
        checks = plan.checks.map {
            Check(
                name: $0.name, status: $0.status.rawValue, detail: redact($0.detail),
                remedy: $0.remedy.map(redact.callAsFunction))
        }
        var timeline = ReportTimeline(entries: entries)
        for index in timeline.spans.indices {
            timeline.spans[index].message = timeline.spans[index].message.map(redact.callAsFunction)
        }
        self.timeline = timeline
        outageParts = Self.outageParts(plan.outageEstimate, timeline: timeline, toolWork: summary.toolWorkSeconds)
        outageEstimateMadeAt = plan.outageEstimate?.madeAt
        stopToInitDoneSeconds = summary.stopToInitDoneSeconds
        toolOwnPartSeconds = summary.toolOwnPartSeconds
        serviceStartSeconds = summary.serviceStartSeconds
        newOMSStartupSeconds = summary.newOMSStartupSeconds
        toolWorkSeconds = summary.toolWorkSeconds
        tables = Self.tableRows(manifest: manifest, after: after)
        self.afterSource = afterSource
        backup = manifest.map { Self.backupInfo($0, directory: summary.backupDirectory ?? runDirectory + "/backup") }
        snapshotDatabases = summary.snapshotDatabases
        rollbackPlan = Self.rollbackPlan(plan: plan, state: state, summary: summary)
        resumeWouldDo = summary.resumeWouldDo
        rollbackReason = state.rollbackReason.map(redact.callAsFunction)
        logTail = logLines.map(redact.callAsFunction)
    }

    static func deploymentFacts(_ plan: UpgradePlan) -> [Fact] {
        // The first node's containers and consoles (a multi-node run's nodes share the names and mounts).
        let node = plan.firstNode
        var facts: [Fact] = [Fact("old container", plan.options.container)]
        facts.append(Fact("old image", node.oldContainer.image))
        facts.append(Fact("old container id", String(node.oldContainer.id.prefix(12))))
        facts.append(Fact("new image", plan.options.image))
        facts.append(Fact("new container", plan.newContainerName))
        if let aside = node.renameOldTo { facts.append(Fact("old container renamed to", aside)) }
        facts.append(Fact("config.yaml", plan.configPath))
        facts.append(Fact("metadata server", plan.metaEndpoint))
        let databases = plan.databases
        facts.append(
            Fact("metadata databases", "rm \(databases.rm), cm \(databases.cm), cm_hb \(databases.cmHeartbeat)"))
        // Mount paths only: the container's environment may hold values that are not ours to print.
        for mount in node.newContainer.mounts {
            facts.append(
                Fact("mount", "\(mount.source) → \(mount.destination)\(mount.readOnly ? " (read-only)" : "")"))
        }
        if let network = node.newContainer.networkMode { facts.append(Fact("network", network)) }
        facts.append(Fact("old console", node.consoleURL))
        facts.append(Fact("new console", node.newConsoleURL))
        if let ha = plan.haEnabled { facts.append(Fact("HA before the upgrade", ha ? "on" : "off")) }
        facts.append(Fact("work directory", plan.options.workDir))
        facts.append(Fact("planned", plan.createdAt.formatted(.iso8601)))
        return facts
    }

    static func routeFacts(_ plan: UpgradePlan) -> [Fact] {
        let route = plan.route
        var facts = [Fact("route", "\(route.from) → \(route.to)")]
        facts.append(Fact("HA off during the upgrade", route.haOffDuringUpgrade ? "yes" : "no"))
        facts.append(Fact("every node", route.allNodes ? "yes" : "no"))
        for note in route.notes { facts.append(Fact("note", note)) }
        for difference in plan.differencesFromGuide { facts.append(Fact("differs from the guide", difference)) }
        if let estimate = plan.outageEstimate {
            facts.append(
                Fact(
                    "estimated outage",
                    "the tool's part \(OutageEstimate.format(estimate.toolSeconds))"
                        + (estimate.seconds(.initScript).map { ", docker_init.sh \(OutageEstimate.format($0))" }
                            ?? ", plus docker_init.sh (unknown before it runs)")))
        }
        return facts
    }

    /// Each part of the outage with its estimate and the duration the run measured for its step,
    /// then the tool's own part (all but the init) with the ratio of the two, and, where the run
    /// measured the new OMS's start-up after its init (`toolWork`), the tool's work: its own part less that.
    static func outageParts(_ estimate: OutageEstimate?, timeline: ReportTimeline, toolWork: Double? = nil)
        -> [OutagePart]
    {
        guard let estimate else { return [] }
        var parts = estimate.items.map { item in
            let spans = timeline.spans.filter {
                !$0.isNodePart && $0.step == item.part.step.rawValue && $0.outcome == .completed
            }
            let measured = spans.isEmpty ? nil : spans.reduce(0) { $0 + $1.duration }
            return OutagePart(title: item.part.title, estimate: item.seconds, measured: measured, basis: item.basis)
        }
        let own = parts.filter { $0.title != OutageEstimate.Part.initScript.title }
        let measured = own.allSatisfy { $0.measured != nil } ? own.compactMap(\.measured).reduce(0, +) : nil
        let ratio = measured.flatMap { $0 > 0 ? estimate.toolSeconds / $0 : nil }
        parts.append(
            OutagePart(
                title: ownPartTitle, estimate: estimate.toolSeconds, measured: measured,
                basis: ratio.map { String(format: "the parts above but the init; estimated %.2f× of measured", $0) }
                    ?? "the parts above but the init; not every one has run"))
        if let toolWork {
            let estimated = estimate.toolWorkSeconds
            parts.append(
                OutagePart(
                    title: toolWorkTitle, estimate: estimated, measured: toolWork,
                    basis:
                        "the tool's own part less the new OMS's start-up after its init (measured: from the init's end"
                        + " to its log line `OMS service start successfully`)"
                        + (toolWork > 0 ? String(format: "; estimated %.2f× of measured", estimated / toolWork) : "")))
        }
        return parts
    }

    /// The title of the outage table's row of the tool's own part.
    static let ownPartTitle = "the tool's own part (all but init)"

    /// The title of the outage table's last row, where the run measured the new OMS's start-up.
    static let toolWorkTitle = "the tool's work (all but init and the new OMS's start-up)"

    static func tableRows(manifest: BackupManifest?, after: [String: [String: TableChecksum]]?) -> [TableRow] {
        var rows: [TableRow] = []
        var databases = manifest?.databases.map(\.name) ?? []
        for name in (after?.keys.sorted() ?? []) where !databases.contains(name) { databases.append(name) }
        for database in databases {
            let before = manifest?.database(database)
            let now = after?[database]
            var names = before?.tables.map(\.name) ?? []
            for name in (now?.keys.sorted() ?? []) where !names.contains(name) { names.append(name) }
            for table in names {
                rows.append(
                    TableRow(
                        database: database, table: table, before: before?.table(table)?.checksum,
                        after: now?[table], afterKnown: after != nil))
            }
        }
        return rows
    }

    static func backupInfo(_ manifest: BackupManifest, directory: String) -> BackupInfo {
        BackupInfo(
            directory: directory, dumper: "\(manifest.dumper.rawValue) (\(manifest.dumperVersion))",
            server: manifest.server, serverVersion: manifest.serverVersion, startedAt: manifest.startedAt,
            durationSeconds: manifest.durationSeconds, checksumAlgorithm: manifest.checksumAlgorithm,
            files: manifest.databases.map { ($0.name, $0.file.name, $0.file.size, $0.file.sha256) },
            tables: manifest.databases.reduce(0) { $0 + $1.tables.count },
            rows: manifest.databases.reduce(Int64(0)) { $0 + $1.tables.reduce(0) { $0 + $1.rowCount } },
            objects: manifest.objectSummary)
    }

    /// What `oms-upgrade rollback` would do from the journal's state, one action per sentence.
    static func rollbackPlan(plan: UpgradePlan, state: JournalState, summary: RunSummary) -> [String] {
        if state.phase == .rolledBack {
            let quarantine = state.record(.rollbackData).result(RollbackDataResult.self)?.quarantineDatabases ?? []
            let kept = quarantine.joined(separator: ", ")
            return ["Nothing: the run was already rolled back."]
                + (quarantine.isEmpty ? [] : ["The upgraded tables are kept in \(kept) until `oms-upgrade cleanup`."])
        }
        let changedData = state.didStart(.startNew) || state.didStart(.initSchema)
        var actions: [String] = []
        if state.didStart(.startNew) {
            actions.append("Stop the new container \(plan.newContainerName) (it is kept, not removed).")
        }
        if !changedData {
            actions.append(
                "Leave the metadata as it is: the new container never ran, "
                    + "so nothing but the heartbeat prune touched it.")
        } else if summary.rollbackKind == "snapshot swap" {
            let snapshots = summary.snapshotDatabases.joined(separator: ", ")
            actions.append(
                "Swap the pre-upgrade snapshot back with one atomic RENAME TABLE per database (\(snapshots)); "
                    + "the upgraded tables go to quarantine databases, never dropped.")
        } else if let backup = summary.backupDirectory {
            actions.append(
                "Restore the verified backup in \(backup) (the snapshot is gone; it holds \(summary.backupHolds ?? "its tables")): "
                    + "tables, rows, views, triggers and routines exactly as at the stop; the tables it replaces go to quarantine databases."
            )
        } else {
            actions.append("Stop: there is neither a snapshot nor a verified backup of this run to put back.")
        }
        if changedData, summary.backupDirectory != nil {
            actions.append(
                "Check every table's row count and checksums against the backup's manifest before anything else starts."
            )
        }
        if state.record(.haOff).result(HAOffResult.self)?.wasEnabled == true {
            actions.append("Put ha.config back as it was (HA on).")
        }
        if let aside = plan.firstNode.renameOldTo, state.didStart(.startNew) {
            actions.append("Rename the old container back from \(aside) to \(plan.options.container) and start it.")
        } else if state.didStart(.stopOld) {
            actions.append("Start the old container \(plan.options.container) again.")
        }
        if state.didStart(.stopOld) {
            actions.append(
                "Wait until the old OMS reports healthy at \(plan.firstNode.consoleURL)/oms/health.")
        }
        actions.append("Command: oms-upgrade rollback --work-dir \(plan.options.workDir)")
        return actions
    }
}

/// Replaces secrets wherever they occur in a text.
struct Redactor: Sendable {
    let secrets: [String]

    func callAsFunction(_ text: String) -> String {
        secrets.filter { !$0.isEmpty }.reduce(text) { $0.replacingOccurrences(of: $1, with: "[redacted]") }
    }
}
