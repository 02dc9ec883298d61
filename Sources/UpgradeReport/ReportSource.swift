import Foundation
import MetaDB
import MetaDump
import OMSDeployment
import UpgradeEngine

/// Reads one run directory (plan, journal, backup manifest, log) and, when asked, the live tables.
public struct ReportSource: Sendable {
    /// The run's directory.
    public let directory: RunDirectory
    public let plan: UpgradePlan
    public let entries: [JournalEntry]
    public let manifest: BackupManifest?
    public let logLines: [String]

    /// How many of the run log's last lines the report shows.
    public static let logTailLines = 60

    /// Loads run `runID` of `workDir`, or its latest run when `runID` is nil; reads only, never creates.
    public static func load(workDir: String, runID: String?) throws -> ReportSource {
        let work = URL(filePath: workDir)
        let directory: RunDirectory
        if let runID {
            guard !runID.isEmpty, !runID.contains("/"), runID != ".", runID != ".." else {
                throw ReportError(
                    "The run id \(runID.debugDescription) is not a run directory name; "
                        + "list the runs with `ls \(work.appending(path: "runs").path)`.")
            }
            directory = RunDirectory(workDir: work, runID: runID)
            guard FileManager.default.fileExists(atPath: directory.journalURL.path) else {
                throw ReportError(
                    "There is no run \(runID) in \(workDir) (no \(directory.journalURL.path)); list the runs with "
                        + "`ls \(work.appending(path: "runs").path)` or omit --run for the latest.")
            }
        } else {
            guard let latest = RunDirectory.latest(in: work) else {
                throw ReportError("There is no upgrade run in \(workDir): pass the --work-dir that `apply` used.")
            }
            directory = latest
        }
        var plan: UpgradePlan
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            plan = try decoder.decode(UpgradePlan.self, from: Data(contentsOf: directory.planURL))
        } catch {
            throw ReportError(
                "The run \(directory.runID) has no readable plan at \(directory.planURL.path) "
                    + "(\(error.localizedDescription)); the run directory is damaged.")
        }
        // The estimate made just before the stop (with the measured change rate) supersedes the plan's.
        if let data = try? Data(contentsOf: directory.estimateURL),
            let estimate = try? JSONDecoder().decode(OutageEstimate.self, from: data)
        {
            plan.outageEstimate = estimate
        }
        let entries = try Journal(url: directory.journalURL).entries
        let manifest = try? BackupManifest.read(from: directory.backupURL.path)
        let log = (try? String(contentsOf: directory.logURL, encoding: .utf8)) ?? ""
        let lines = log.split(separator: "\n", omittingEmptySubsequences: true).suffix(logTailLines).map(String.init)
        return ReportSource(directory: directory, plan: plan, entries: entries, manifest: manifest, logLines: lines)
    }

    /// The live checksums of the backed-up databases, with where they came from, or nil and why not.
    ///
    /// Reads config.yaml for the credentials, as `resume` does; the password never leaves the connection.
    public func liveChecksums() async -> (
        checksums: [String: [String: TableChecksum]]?, source: String, secrets: [String]
    ) {
        let configPath = plan.configPath
        let config: OMSConfig
        do {
            config = try OMSConfig.load(path: configPath)
        } catch {
            return (nil, "not computed: \(configPath) could not be read (\(error))", [])
        }
        let options = config.metaConnection()
        let secrets = [config.metaPassword.reveal(), config.tsdbPassword.reveal()].filter { !$0.isEmpty }
        let databases = manifest?.databases.map(\.name) ?? plan.databases.all
        var sums: [String: [String: TableChecksum]] = [:]
        do {
            for database in databases {
                sums[database] = try await DatabaseChecksums.compute(server: options, database: database, workers: 2)
            }
        } catch {
            return (nil, "not computed: \(Redactor(secrets: secrets)(String(describing: error)))", secrets)
        }
        let when = Date().formatted(.iso8601)
        return (sums, "computed on \(options.endpoint) at \(when), when the report was made", secrets)
    }

    /// The model for this run; `after` as from ``liveChecksums()``.
    public func model(after: [String: [String: TableChecksum]]?, afterSource: String, secrets: [String]) -> ReportModel
    {
        ReportModel(
            runID: directory.runID, runDirectory: directory.url.path, plan: plan, entries: entries,
            manifest: manifest, after: after, afterSource: afterSource, logLines: logLines, secrets: secrets)
    }
}

/// A report that cannot be made, as a sentence saying what to do.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }
}
