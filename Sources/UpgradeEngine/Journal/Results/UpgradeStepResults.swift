import Foundation

/// The results of the upgrade's steps, in the order they run (docs/JOURNAL.md shows their JSON).

/// pre-prune: the heartbeat rows deleted online, and each database's bound.
public struct PrePruneResult: StepResult {
    public var rowsDeleted: Int64
    /// Per heartbeat database: every row below this id is deleted; read by the prune in the outage.
    public var prunedBelow: [String: Int64]

    public init(rowsDeleted: Int64, prunedBelow: [String: Int64]) {
        self.rowsDeleted = rowsDeleted
        self.prunedBelow = prunedBelow
    }

    public init(legacyFacts: [String: String]) {
        let facts = LegacyFacts(legacyFacts)
        rowsDeleted = facts.int64(.rowsDeleted) ?? 0
        prunedBelow = facts.perDatabase(.prunedBelow).compactMapValues { Int64($0) }
    }
}

/// ha-off: whether `ha.config` exists, whether HA was on, and the keys switched off.
public struct HAOffResult: StepResult {
    public var present: Bool
    public var wasEnabled: Bool
    /// The `ha.config` keys that held HA on, switched off for the upgrade.
    public var keys: [String]

    public init(present: Bool, wasEnabled: Bool, keys: [String] = []) {
        self.present = present
        self.wasEnabled = wasEnabled
        self.keys = keys
    }

    public init(legacyFacts: [String: String]) {
        let facts = LegacyFacts(legacyFacts)
        present = facts.bool(.haPresent)
        wasEnabled = facts.bool(.haWasEnabled)
        keys = HAKeys.decode(facts.text(.haKeys)) ?? []
    }
}

/// online-copy: the snapshot being built, what was copied, and the tables left for the stop.
public struct OnlineCopyResult: StepResult {
    public var snapshotLabel: String
    public var snapshotDatabases: [String]
    public var rowsCopied: Int64
    public var capturedTables: Int
    /// Tables copied whole at the stop instead, as `db.table (reason)`.
    public var copiedAtStop: [String]
    /// The mean seconds of one capture trigger's `CREATE TRIGGER` on the live tables, where the stop
    /// drops the triggers again; nil where it does not (the OceanBase kernel), or in earlier journals.
    /// The estimate made just before the stop takes it for one of the catch-up's DDL.
    public var captureDDLSeconds: Double?

    public init(
        snapshotLabel: String, snapshotDatabases: [String], rowsCopied: Int64, capturedTables: Int,
        copiedAtStop: [String], captureDDLSeconds: Double? = nil
    ) {
        self.snapshotLabel = snapshotLabel
        self.snapshotDatabases = snapshotDatabases
        self.rowsCopied = rowsCopied
        self.capturedTables = capturedTables
        self.copiedAtStop = copiedAtStop
        self.captureDDLSeconds = captureDDLSeconds
    }

    public init(legacyFacts: [String: String]) {
        let facts = LegacyFacts(legacyFacts)
        snapshotLabel = facts.text(.snapshotLabel) ?? ""
        snapshotDatabases = facts.list(.snapshotDatabases)
        rowsCopied = facts.int64(.rowsCopiedOnline) ?? 0
        capturedTables = facts.int(.capturedTables) ?? 0
        copiedAtStop = facts.list(.copiedAtStop, separator: "; ")
    }
}

/// stop-old, per node: the id of the old container that was stopped, and of the new one created meanwhile.
public struct StopOldNode: StepResult {
    public var oldContainerID: String
    /// The new container created (not started) while the old one stopped; nil when start-new creates it
    /// (it takes the old container's name) and in journals written before stop-old created it.
    public var newContainerID: String?

    public init(oldContainerID: String, newContainerID: String? = nil) {
        self.oldContainerID = oldContainerID
        self.newContainerID = newContainerID
    }

    public init(legacyFacts: [String: String]) {
        oldContainerID = LegacyFacts(legacyFacts).text(.oldContainerID) ?? ""
    }
}

/// stop-old: each node's stopped container.
public typealias StopOldResult = NodeResults<StopOldNode>

/// catch-up: the completed snapshot and what the catch-up applied.
public struct CatchUpResult: StepResult {
    public var snapshotLabel: String
    public var snapshotDatabases: [String]
    public var changedRows: Int64
    /// Tables copied whole, as `db.table`.
    public var copiedWhole: [String]
    /// Views, triggers, routines and events recorded at the stop.
    public var objectsCaptured: Int

    public init(
        snapshotLabel: String, snapshotDatabases: [String], changedRows: Int64, copiedWhole: [String],
        objectsCaptured: Int
    ) {
        self.snapshotLabel = snapshotLabel
        self.snapshotDatabases = snapshotDatabases
        self.changedRows = changedRows
        self.copiedWhole = copiedWhole
        self.objectsCaptured = objectsCaptured
    }

    public init(legacyFacts: [String: String]) {
        let facts = LegacyFacts(legacyFacts)
        snapshotLabel = facts.text(.snapshotLabel) ?? ""
        snapshotDatabases = facts.list(.snapshotDatabases)
        changedRows = facts.int64(.changedRows) ?? 0
        copiedWhole = facts.list(.copiedWhole)
        objectsCaptured = facts.int(.objectsCaptured) ?? 0
    }
}

/// The snapshot step of earlier versions (in no sequence now): only its journals hold it.
public struct SnapshotResult: StepResult {
    public var snapshotLabel: String
    public var snapshotDatabases: [String]

    public init(legacyFacts: [String: String]) {
        let facts = LegacyFacts(legacyFacts)
        snapshotLabel = facts.text(.snapshotLabel) ?? ""
        snapshotDatabases = facts.list(.snapshotDatabases)
    }
}

/// prune: the rows deleted, and per heartbeat database the id kept and the strategy used.
public struct PruneHeartbeatsResult: StepResult {
    /// One heartbeat database's prune.
    public struct Database: Codable, Sendable, Equatable {
        /// The newest row's id, kept; nil when the table was empty.
        public var keptID: Int64?
        /// The strategy used: a raw value of MetaDump's `PruneStrategy` (`swap`, `batched` …).
        public var strategy: String

        public init(keptID: Int64?, strategy: String) {
            self.keptID = keptID
            self.strategy = strategy
        }
    }

    public var rowsDeleted: Int64
    /// By database name; a journal of an earlier version names the one database of a single region `""`.
    public var databases: [String: Database]

    public init(rowsDeleted: Int64, databases: [String: Database]) {
        self.rowsDeleted = rowsDeleted
        self.databases = databases
    }

    public init(legacyFacts: [String: String]) {
        let facts = LegacyFacts(legacyFacts)
        rowsDeleted = facts.int64(.rowsDeleted) ?? 0
        var databases: [String: Database] = [:]
        for (name, value) in facts.perDatabase(.keptID) {
            databases[name, default: Database(keptID: nil, strategy: "")].keptID = Int64(value)
        }
        for (name, value) in facts.perDatabase(.strategy) {
            databases[name, default: Database(keptID: nil, strategy: "")].strategy = value
        }
        self.databases = databases
    }
}

/// backup: the verified backup written from the snapshot.
public struct BackupResult: StepResult {
    public var directory: String
    public var rows: Int64
    /// Nil in journals of versions that did not record it.
    public var tables: Int?
    /// What the backup holds besides tables, e.g. "1 view, 1 trigger, 1 procedure"; nil as `tables`.
    public var objects: String?
    /// `native` or `mysqldump`.
    public var dumper: String

    public init(directory: String, rows: Int64, tables: Int?, objects: String?, dumper: String) {
        self.directory = directory
        self.rows = rows
        self.tables = tables
        self.objects = objects
        self.dumper = dumper
    }

    public init(legacyFacts: [String: String]) {
        let facts = LegacyFacts(legacyFacts)
        directory = facts.text(.backupDirectory) ?? ""
        rows = facts.int64(.backupRows) ?? 0
        tables = facts.int(.backupTables)
        objects = facts.text(.backupObjects)
        dumper = facts.text(.dumper) ?? ""
    }
}

/// start-new, per node: the new container's id, and where the old one was renamed to.
public struct StartNewNode: StepResult {
    public var newContainerID: String
    public var oldRenamedTo: String?

    public init(newContainerID: String, oldRenamedTo: String?) {
        self.newContainerID = newContainerID
        self.oldRenamedTo = oldRenamedTo
    }

    public init(legacyFacts: [String: String]) {
        let facts = LegacyFacts(legacyFacts)
        newContainerID = facts.text(.newContainerID) ?? ""
        oldRenamedTo = facts.text(.oldRenamedTo)
    }
}

/// start-new: each node's new container.
public typealias StartNewResult = NodeResults<StartNewNode>

/// init: the script's exit status (always 0 once completed) and the nodes it ran on.
public struct InitResult: StepResult {
    public var exitCode: Int32
    /// The IPs init ran on, in order; empty for a single-node deployment.
    public var nodes: [String]

    public init(exitCode: Int32, nodes: [String]) {
        self.exitCode = exitCode
        self.nodes = nodes
    }

    public init(legacyFacts: [String: String]) {
        let facts = LegacyFacts(legacyFacts)
        exitCode = facts.text(.initExitCode).flatMap { Int32($0) } ?? 0
        nodes = facts.list(.initNodes)
    }
}

/// health and rollback-health, per node: the health URL that answered (nil: the node had no console URL),
/// and when the container wrote its started line.
public struct HealthNode: StepResult {
    public var healthURL: String?
    /// When the container wrote `OMS service start successfully`, by the engine's clock (RFC 3339,
    /// milliseconds); nil when the engine does not tell, and in journals of earlier versions.
    public var saidStartedAt: String?

    public init(healthURL: String?, saidStartedAt: String? = nil) {
        self.healthURL = healthURL
        self.saidStartedAt = saidStartedAt
    }

    public init(legacyFacts: [String: String]) { healthURL = LegacyFacts(legacyFacts).text(.healthURL) }

    /// The form ``saidStartedAt`` is recorded in.
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// health: each node's health URL.
public typealias HealthResult = NodeResults<HealthNode>

/// ha-on: whether HA was switched back on, and which keys.
public struct HAOnResult: StepResult {
    public var restored: Bool
    public var keys: [String]

    public init(restored: Bool, keys: [String] = []) {
        self.restored = restored
        self.keys = keys
    }

    public init(legacyFacts: [String: String]) {
        let facts = LegacyFacts(legacyFacts)
        restored = facts.bool(.haRestored)
        keys = HAKeys.decode(facts.text(.haKeys)) ?? []
    }
}
