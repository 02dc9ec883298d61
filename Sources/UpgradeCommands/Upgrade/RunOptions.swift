import ArgumentParser
import UpgradeEngine

/// Options of the commands that act on an existing run: where it is, how long to wait, how to print.
struct RunOptions: ParsableArguments {
    @Option(help: "The work directory that apply used.")
    var workDir: String = WorkDirectory.defaultPath

    @Option(help: "The run to act on (its id, as `status` lists it); default: the newest run of the deployment.")
    var run: String?

    @Option(help: "Act on the newest run of the deployment whose old (or new) container has this name.")
    var container: String?

    /// The run selection these options make.
    var selection: RunSelection { RunSelection(runID: run, container: container) }

    @Option(help: "Seconds to wait for OMS to report healthy (default: the value apply used).")
    var healthTimeout: Int?

    @Flag(help: "Print the run's summary as one JSON document.")
    var json = false

    @Option(help: "Seconds a step waits for an unreachable metadata server before it fails (default 180).")
    var metaRetryTimeout: Int?

    /// Seconds between the background lock checks (tests shorten it; capped at a third of the lease).
    @Option(help: .hidden)
    var lockCheckSeconds: Double?

    func validate() throws {
        if let healthTimeout, healthTimeout < 1 {
            throw ValidationError("--health-timeout must be 1 or more seconds, not \(healthTimeout).")
        }
        if let metaRetryTimeout, metaRetryTimeout < 0 {
            throw ValidationError("--meta-retry-timeout must be 0 or more seconds, not \(metaRetryTimeout).")
        }
    }

    /// The run's settings: `--meta-retry-timeout`, the hidden `--lock-check-seconds` (for tests), the signals.
    var settings: RunSettings {
        .command(metaRetryTimeout: metaRetryTimeout, lockCheckSeconds: lockCheckSeconds)
    }
}
