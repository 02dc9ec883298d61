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
        ExecutableLocation.adopt()
        ProcessSignals.install()
        BundledClientPlugins.activate()
        var command: any ParsableCommand
        do {
            command = try OMSUpgradeCommand.parseAsRoot()
        } catch {
            usageFailure(error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if CommandFailure.isParserRequest(error) { OMSUpgradeCommand.exit(withError: error) }
            exit(CommandFailure.exitCode(for: error))
        }
    }

    /// Help, version and command-line errors, found while parsing: ArgumentParser's message, status 2 for usage.
    private static func usageFailure(_ error: any Error) -> Never {
        guard OMSUpgradeCommand.exitCode(for: error) == .validationFailure else {
            OMSUpgradeCommand.exit(withError: error)
        }
        FileHandle.standardError.write(Data((OMSUpgradeCommand.fullMessage(for: error) + "\n").utf8))
        exit(2)
    }
}
