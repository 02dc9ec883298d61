import ArgumentParser
import Foundation
import UpgradeCommands
import UpgradeEngine

/// The `oms-upgrade` executable: parses the command line and runs the chosen subcommand.
///
/// Exit status: 0 success, 1 failure (a check, a step, bad input found while working),
/// 2 usage errors (the command line itself is wrong).
@main
struct OMSUpgradeMain {
    static func main() async {
        ProcessHardening.disableCoreDumps()
        Interruption.install()
        BundledClientPlugins.activate()
        do {
            var command = try OMSUpgradeCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard OMSUpgradeCommand.exitCode(for: error) == .validationFailure else {
                OMSUpgradeCommand.exit(withError: error)
            }
            FileHandle.standardError.write(Data((OMSUpgradeCommand.fullMessage(for: error) + "\n").utf8))
            exit(2)
        }
    }
}
