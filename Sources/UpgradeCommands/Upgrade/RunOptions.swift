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
}
