import ArgumentParser
import UpgradeEngine

/// Options of the commands that act on an existing run: where it is, how long to wait, how to print.
struct RunOptions: ParsableArguments {
    @Option(help: "The work directory that apply used.")
    var workDir: String = WorkDirectory.defaultPath

    @Option(help: "Seconds to wait for OMS to report healthy (default: the value apply used).")
    var healthTimeout: Int?

    @Flag(help: "Print the run's summary as one JSON document.")
    var json = false

    @Option(help: "Seconds a step waits for an unreachable metadata server before it fails (default 180).")
    var metaRetryTimeout: Int?

    func validate() throws {
        if let metaRetryTimeout, metaRetryTimeout < 0 {
            throw ValidationError("--meta-retry-timeout must be 0 or more seconds, not \(metaRetryTimeout).")
        }
    }

    /// Sets the engine's metadata retry budget from `--meta-retry-timeout`, when given.
    func configureMetaRetry() {
        if let metaRetryTimeout { MetaRetry.timeout = .seconds(metaRetryTimeout) }
    }
}
