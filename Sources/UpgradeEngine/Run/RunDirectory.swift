import Foundation

/// Where a run keeps its plan, journal, log and backups: `<work-dir>/runs/<run-id>/`, mode 0700.
public struct RunDirectory: Sendable {
    /// The work directory holding every run of one deployment.
    public let workDir: URL
    /// The run's identifier, e.g. `20261126-081502-oms_322`.
    public let runID: String

    public init(workDir: URL, runID: String) {
        self.workDir = workDir
        self.runID = runID
    }

    public var url: URL { workDir.appending(path: "runs").appending(path: runID) }
    public var planURL: URL { url.appending(path: "plan.json") }
    public var journalURL: URL { url.appending(path: "journal.jsonl") }
    public var logURL: URL { url.appending(path: "run.log") }
    public var backupURL: URL { url.appending(path: "backup") }
    /// The outage estimate made just before the stop (``OutageEstimate``, JSON).
    public var estimateURL: URL { url.appending(path: "estimate.json") }
    /// The views, triggers, routines and events of the metadata databases as they were at the stop.
    public var objectsURL: URL { url.appending(path: "objects.json") }
    /// Who holds the deployment's lock: `runs/.lock`, inside the tool's own `runs/` (never loose in
    /// the work directory), hidden so that listing `runs/` by name still ends with the newest run.
    public var lockURL: URL { workDir.appending(path: "runs").appending(path: ".lock") }

    /// A short token unique to the run (its start second in base 36), for database names.
    public var shortToken: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        guard let date = formatter.date(from: String(runID.prefix(15))) else {
            // Stable across processes (Swift's hashValue is seeded per process): FNV-1a of the id's bytes.
            return String(Self.stableHash(runID) % 2_176_782_336, radix: 36)
        }
        return String(Int(date.timeIntervalSince1970), radix: 36)
    }

    /// FNV-1a (64 bit) of the UTF-8 bytes: the same value in every process and on every run.
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// A new run id from the time and the old container's name.
    public static func newRunID(container: String, now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let safe = container.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" }
        return "\(formatter.string(from: now))-\(String(safe))"
    }

    /// Creates the run directory (0700, in the tool's own 0700 `runs/`), never changing the work directory itself.
    public func create() throws {
        try WorkDirectory.prepare(workDir)
        for directory in [workDir.appending(path: "runs"), url] {
            try WorkDirectory.ensurePrivateDirectory(directory)
        }
    }

    /// Every run in `workDir` (a directory under `runs/` holding a journal), oldest first.
    public static func all(in workDir: URL) -> [RunDirectory] {
        let runs = workDir.appending(path: "runs")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: runs.path) else { return [] }
        return names.filter { name in
            FileManager.default.fileExists(atPath: runs.appending(path: name).appending(path: "journal.jsonl").path)
        }.sorted().map { RunDirectory(workDir: workDir, runID: $0) }
    }

    /// The most recent run in `workDir`, nil when there is none.
    public static func latest(in workDir: URL) -> RunDirectory? {
        let runs = workDir.appending(path: "runs")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: runs.path) else { return nil }
        let valid = names.filter {
            FileManager.default.fileExists(atPath: runs.appending(path: $0).appending(path: "journal.jsonl").path)
        }
        guard let newest = valid.sorted().last else { return nil }
        return RunDirectory(workDir: workDir, runID: newest)
    }
}
