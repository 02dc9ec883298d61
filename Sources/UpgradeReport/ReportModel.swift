import Foundation
import MetaDump
import UpgradeEngine

/// Everything one run's report shows, gathered from the run directory: what the renderers draw.
///
/// The model holds no secret: no password, no container environment value. Values are raw text;
/// each renderer escapes them for its format.
public struct ReportModel: Sendable {
    /// One part of the outage, estimated and measured.
    public struct OutagePart: Sendable, Equatable {
        public var title: String
        /// The estimate in seconds; nil when it could not be known (the init without an earlier run).
        public var estimate: Double?
        /// What the run measured (the step's duration); nil when the step has not run.
        public var measured: Double?
        /// What the estimate was made of.
        public var basis: String
    }

    /// A labelled value, e.g. "old container" → "oms_322".
    public struct Fact: Sendable, Equatable {
        public var label: String
        public var value: String

        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    /// One preflight check as planned.
    public struct Check: Sendable, Equatable {
        public var name: String
        public var status: String
        public var detail: String
        public var remedy: String?
    }

    /// A table's row count and checksums before the upgrade (the backup's manifest) and now.
    public struct TableRow: Sendable, Equatable {
        /// How the two sides compare.
        public enum Comparison: String, Sendable {
            case same, changed, added, removed
            /// Only the before side is known (the after side was not computed).
            case unchecked = "not checked"
        }

        public var database: String
        public var table: String
        public var before: TableChecksum?
        public var after: TableChecksum?
        /// Whether the live side was read at all (nil `after` then means the table is gone).
        public var afterKnown: Bool

        public var comparison: Comparison {
            if !afterKnown { return before == nil ? .added : .unchecked }
            return switch (before, after) {
            case (let before?, let after?): before == after ? .same : .changed
            case (nil, _?): .added
            case (_?, nil): .removed
            case (nil, nil): .unchecked
            }
        }
    }

    /// The backup the run took.
    public struct BackupInfo: Sendable, Equatable {
        public var directory: String
        public var dumper: String
        public var server: String
        public var serverVersion: String
        public var startedAt: Date
        public var durationSeconds: Double
        public var checksumAlgorithm: String
        /// Database, file name, size in bytes, SHA-256.
        public var files: [(database: String, name: String, size: Int64, sha256: String)]
        public var tables: Int
        public var rows: Int64
        /// The views, triggers, routines and events it holds, e.g. "1 view, 1 trigger, 1 procedure".
        public var objects: String = "no views, triggers or routines"

        public static func == (lhs: BackupInfo, rhs: BackupInfo) -> Bool {
            lhs.directory == rhs.directory && lhs.files.map(\.sha256) == rhs.files.map(\.sha256)
        }
    }

    public var runID: String
    public var runDirectory: String
    /// The run's phase, e.g. `upgraded`, `rolled-back`.
    public var phase: String
    public var generatedAt: Date
    /// The old container, the new image, and the arrow between them, for the title.
    public var headline: String
    /// The deployment: containers, images, config.yaml, metadata server and databases, consoles.
    public var deployment: [Fact]
    /// The route between the versions and its notes.
    public var route: [Fact]
    public var checks: [Check]
    public var timeline: ReportTimeline
    /// The outage part by part: the estimate (the one made just before the stop, else the plan's) and what the run measured.
    public var outageParts: [OutagePart]
    /// When the estimate was made (`plan`, `before the stop`), nil when there is none.
    public var outageEstimateMadeAt: String?
    /// Stop → init done (the vendor's init included), the tool's own part of the outage (all but the init),
    /// and the service's own start.
    public var stopToInitDoneSeconds: Double?
    public var toolOwnPartSeconds: Double?
    public var serviceStartSeconds: Double?
    /// Of the service start, the new OMS's own start-up after its init, and the tool's own part less
    /// it (``RunSummary/newOMSStartupSeconds``, ``RunSummary/toolWorkSeconds``).
    public var newOMSStartupSeconds: Double?
    public var toolWorkSeconds: Double?
    public var tables: [TableRow]
    /// Where the "now" side of the tables comes from, or why there is none.
    public var afterSource: String
    public var backup: BackupInfo?
    /// The snapshot databases a rollback swaps back.
    public var snapshotDatabases: [String]
    /// What `oms-upgrade rollback` would do now, one sentence per action.
    public var rollbackPlan: [String]
    public var resumeWouldDo: String
    public var rollbackReason: String?
    /// The last lines of `run.log`.
    public var logTail: [String]

    /// The service's total downtime over the run, in seconds.
    public var outageSeconds: Double { timeline.outageSeconds }

    /// Steps that failed, with their messages.
    public var failures: [ReportTimeline.Span] { timeline.spans.filter { $0.outcome == .failed } }
}
