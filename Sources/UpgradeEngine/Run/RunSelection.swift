import Foundation

/// Which run a command acts on: runs are scoped by deployment, never just "the newest in the work directory".
///
/// A work directory may hold runs of several deployments (each run's `plan.json` names its
/// deployment, see ``UpgradePlan/deploymentKey``). `--run ID` picks one run; `--container NAME`
/// picks the newest run of that deployment; without either, the newest run is taken only when
/// every run in the work directory belongs to one deployment.
public struct RunSelection: Sendable, Equatable {
    /// The run id given with `--run`.
    public var runID: String?
    /// The old (or new) container name given with `--container`.
    public var container: String?

    public init(runID: String? = nil, container: String? = nil) {
        self.runID = runID
        self.container = container
    }
}

/// One run as `status` lists it.
public struct RunListing: Codable, Sendable, Equatable {
    public var runID: String
    public var deployment: String
    public var oldContainer: String
    public var phase: String
    /// Whether `resume` or `rollback` still has work to do.
    public var unfinished: Bool
}

extension RunStore {
    /// Every run in `workDir` whose plan can be read, oldest first.
    public static func loadAll(workDir: String) throws -> [LoadedRun] {
        let url = URL(filePath: workDir)
        return try RunDirectory.all(in: url).map { try load($0) }
    }

    /// The run `selection` names in `workDir`, or an error saying which runs there are and how to pick one.
    public static func select(_ selection: RunSelection, workDir: String) throws -> LoadedRun {
        if let runID = selection.runID {
            let directory = RunDirectory(workDir: URL(filePath: workDir), runID: runID)
            guard !runID.contains("/"), runID != "..", runID != ".",
                FileManager.default.fileExists(atPath: directory.journalURL.path)
            else {
                throw EngineError.noRun("There is no run \(runID) in \(workDir). \(try listingHint(workDir: workDir))")
            }
            return try load(directory)
        }
        var runs = try loadAll(workDir: workDir)
        if let container = selection.container {
            runs = runs.filter { $0.plan.options.container == container || $0.plan.newContainerName == container }
        }
        guard let newest = runs.last else {
            let scope = selection.container.map { " for the container \($0)" } ?? ""
            throw EngineError.noRun(
                "There is no upgrade run\(scope) in \(workDir): start one with "
                    + "`oms-upgrade apply`, or pass the --work-dir that `apply` used.")
        }
        let deployments = Set(runs.map(\.plan.deploymentKey))
        guard deployments.count == 1 else {
            throw EngineError.noRun(
                "The work directory \(workDir) holds runs of \(deployments.count) deployments; say which with --run ID "
                    + "(or --container NAME). \(try listingHint(workDir: workDir))")
        }
        return newest
    }

    /// The unfinished runs of the deployment `key` in `workDir`.
    public static func unfinishedRuns(deploymentKey key: String, workDir: String) throws -> [LoadedRun] {
        try loadAll(workDir: workDir).filter { $0.plan.deploymentKey == key && $0.journal.replayed.isUnfinished }
    }

    /// What `status` lists for `run`.
    public static func listing(_ run: LoadedRun) -> RunListing {
        let state = run.journal.replayed
        return RunListing(
            runID: run.directory.runID, deployment: run.plan.deploymentKey,
            oldContainer: run.plan.options.container, phase: state.phase.rawValue,
            unfinished: state.isUnfinished)
    }

    private static func listingHint(workDir: String) throws -> String {
        let runs = (try? loadAll(workDir: workDir)) ?? []
        guard !runs.isEmpty else { return "It holds no run." }
        return "Runs there: "
            + runs.map { run in
                let listing = listing(run)
                return "\(listing.runID) (\(listing.oldContainer), \(listing.phase))"
            }.joined(separator: ", ") + "."
    }

    static func load(_ directory: RunDirectory) throws -> LoadedRun {
        let data: Data
        do {
            data = try Data(contentsOf: directory.planURL)
        } catch {
            throw EngineError.noRun(
                "The run \(directory.runID) has no readable plan at \(directory.planURL.path): "
                    + error.localizedDescription)
        }
        let plan: UpgradePlan
        do {
            plan = try Journal.decoder.decode(UpgradePlan.self, from: data)
        } catch {
            throw EngineError.noRun(
                "The plan \(directory.planURL.path) of run \(directory.runID) cannot be read "
                    + "(\(error)); it was changed or damaged")
        }
        return LoadedRun(directory: directory, plan: plan, journal: try Journal(url: directory.journalURL))
    }
}

extension JournalState {
    /// Whether the run stopped half-way: an upgrade or a rollback that `resume` or `rollback` must finish.
    public var isUnfinished: Bool { phase == .upgrading || phase == .rollingBack }
}

extension UpgradePlan {
    /// The deployment this plan upgrades: metadata server, rm database and old container, e.g.
    /// `10.0.0.5:2881/oms_rm/oms_322`. Runs with the same key act on the same deployment.
    public var deploymentKey: String {
        Self.deploymentKey(server: metaServer, rm: databases.rm, container: firstNode.oldContainer.name)
    }

    static func deploymentKey(server: Endpoint, rm: String, container: String) -> String {
        "\(server.host):\(server.port)/\(rm)/\(container)"
    }
}
