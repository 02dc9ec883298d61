import ArgumentParser
import UpgradeEngine

/// `--work-dir` and `--run`: where a command that reads a finished run (report, cleanup) finds it.
struct RunLocationOptions: ParsableArguments {
    @Option(help: "The work directory that apply used.")
    var workDir: String = WorkDirectory.defaultPath

    @Option(help: "The run (its id, as `status` lists it); default: the newest run.")
    var run: String?
}
