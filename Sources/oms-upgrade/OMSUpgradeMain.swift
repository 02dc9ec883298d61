import UpgradeCommands

/// The `oms-upgrade` executable: parses the command line and runs the chosen subcommand.
@main
struct OMSUpgradeMain {
    static func main() async {
        await OMSUpgradeCommand.main()
    }
}
