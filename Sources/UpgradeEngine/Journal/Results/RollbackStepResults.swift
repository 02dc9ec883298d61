/// The results of the rollback's steps, in the order they run (docs/JOURNAL.md shows their JSON).

/// rollback-capture: how many capture triggers were dropped.
public struct RollbackCaptureResult: StepResult {
    public var triggersDropped: Int

    public init(triggersDropped: Int) { self.triggersDropped = triggersDropped }

    public init(legacyFacts: [String: String]) {
        triggersDropped = LegacyFacts(legacyFacts).int(.triggersDropped) ?? 0
    }
}

/// rollback-stop-new, per node: the new container stopped, nil when this run created none there.
public struct RollbackStopNewNode: StepResult {
    public var newContainerID: String?

    public init(newContainerID: String?) { self.newContainerID = newContainerID }

    /// An earlier version wrote `newContainer: none` when there was none.
    public init(legacyFacts: [String: String]) { newContainerID = LegacyFacts(legacyFacts).text(.newContainerID) }
}

/// rollback-stop-new: each node's new container, and the nodes left unfinished.
public typealias RollbackStopNewResult = NodeResults<RollbackStopNewNode>

/// rollback-verify: whether the snapshot was checked, and how many tables.
public struct RollbackVerifyResult: StepResult {
    /// False when there was nothing to check (the new OMS never ran) or no complete snapshot.
    public var checked: Bool
    public var tables: Int?

    public init(checked: Bool, tables: Int? = nil) {
        self.checked = checked
        self.tables = tables
    }

    public init(legacyFacts: [String: String]) {
        let facts = LegacyFacts(legacyFacts)
        checked = facts.bool(.checked)
        tables = facts.int(.tables)
    }
}

/// rollback-data: where the pre-upgrade metadata came back from, and where the upgraded tables went.
public struct RollbackDataResult: StepResult {
    /// Where the metadata came back from.
    public enum Source: String, Codable, Sendable {
        /// The new OMS never ran: nothing to put back.
        case nothing
        case snapshot
        case backup
    }

    public var restoredFrom: Source
    public var quarantineDatabases: [String]

    public init(restoredFrom: Source, quarantineDatabases: [String] = []) {
        self.restoredFrom = restoredFrom
        self.quarantineDatabases = quarantineDatabases
    }

    public init(legacyFacts: [String: String]) {
        let facts = LegacyFacts(legacyFacts)
        restoredFrom = facts.text(.restoredFrom).flatMap(Source.init(rawValue:)) ?? .nothing
        quarantineDatabases = facts.list(.quarantineDatabases)
    }
}

/// rollback-containers, per node: the old container running again, and where a failed new one went.
public struct RollbackContainersNode: StepResult {
    public var oldContainerID: String
    public var newRenamedTo: String?

    public init(oldContainerID: String, newRenamedTo: String?) {
        self.oldContainerID = oldContainerID
        self.newRenamedTo = newRenamedTo
    }

    public init(legacyFacts: [String: String]) {
        let facts = LegacyFacts(legacyFacts)
        oldContainerID = facts.text(.oldContainerID) ?? ""
        newRenamedTo = facts.text(.newRenamedTo)
    }
}

/// rollback-containers: each node's old container, and the nodes left unfinished.
public typealias RollbackContainersResult = NodeResults<RollbackContainersNode>

/// rollback-ha: whether `ha.config` was put back.
public struct RollbackHAResult: StepResult {
    public var restored: Bool

    public init(restored: Bool) { self.restored = restored }

    public init(legacyFacts: [String: String]) { restored = LegacyFacts(legacyFacts).bool(.haRestored) }
}

/// rollback-health: each node's health URL, and the nodes left unfinished.
public typealias RollbackHealthResult = NodeResults<HealthNode>
