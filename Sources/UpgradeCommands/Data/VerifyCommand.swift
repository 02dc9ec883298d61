import ArgumentParser
import MetaDump

/// `oms-upgrade verify`: checks a backup directory's files against its manifest, without a server.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract:
            "Verify a backup without a server: every file's size and SHA-256, every table, view, trigger, routine and event present, row counts equal to the manifest.",
        discussion: "Exit status: 0 when the backup is sound, 1 when anything is wrong.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The backup directory (holding manifest.json).")
    var directory: String

    func run() async throws {
        let report = await BackupVerifier(progress: global.makeReporter()).verify(directory)
        if report.isValid {
            FileHandleOutput.standardOutput(
                "Backup \(directory) is sound: \(report.tablesChecked) tables, \(report.bytesChecked) bytes checked.")
            return
        }
        for problem in report.problems { FileHandleOutput.standardError("error: \(problem)") }
        throw ExitCode(1)
    }
}
