import ArgumentParser
import Testing
import UpgradeEngine

@testable import UpgradeCommands

/// The command line alone, parsed the way `main` parses it: no deployment, no sandbox.
///
/// `main` exits 2 exactly when `exitCode(for:)` is `.validationFailure`, so a usage error is
/// asserted through that code.
@Suite("argument parsing")
struct ArgumentParsingTests {
    /// Every subcommand's name, as an operator types it.
    static let subcommands = [
        "plan", "apply", "status", "resume", "rollback", "cleanup", "prune-heartbeat", "backup", "verify", "restore",
        "report",
    ]

    /// Parses `arguments` as `main` does and returns the error, nil when the command line is accepted.
    private func parseError(_ arguments: [String]) -> (any Error)? {
        do {
            _ = try OMSUpgradeCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return error
        }
    }

    /// Expects `arguments` to be a usage error (exit 2) whose message contains `words`.
    private func expectUsageError(_ arguments: [String], mentioning words: String) {
        guard let error = parseError(arguments) else {
            Issue.record("\(arguments) was accepted; expected a usage error mentioning \(words)")
            return
        }
        #expect(OMSUpgradeCommand.exitCode(for: error) == .validationFailure, "\(arguments): \(error)")
        let message = OMSUpgradeCommand.fullMessage(for: error)
        #expect(message.contains(words), "\(arguments): \(message)")
    }

    @Test("every subcommand is registered under its documented name")
    func subcommandNames() {
        let names = OMSUpgradeCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
        #expect(names.sorted() == Self.subcommands.sorted())
    }

    @Test("--help of every subcommand is accepted and names the subcommand and its options", arguments: subcommands)
    func helpOfEverySubcommand(_ name: String) throws {
        #expect(parseError([name, "--help"]) == nil, "\(name) --help must be accepted (it prints help, exit 0)")
        let type = try #require(
            OMSUpgradeCommand.configuration.subcommands.first {
                $0.configuration.commandName == name
            })
        let help = OMSUpgradeCommand.helpMessage(for: type, columns: 200)
        #expect(help.contains("USAGE: oms-upgrade \(name)"), "\(help)")
        #expect(help.contains("--progress"), "the global options are listed: \(help)")
        #expect(help.contains("-h, --help"), "\(help)")
        #expect(!type.configuration.abstract.isEmpty, "\(name) has an abstract")
    }

    @Test(
        "help parses into a command whose run() asks main to print the help and exit 0, not a failure",
        arguments: [["--help"], ["-h"], ["help"], ["help", "plan"], ["plan", "--help"], ["rollback", "-h"]])
    func helpRunsAsARequest(_ arguments: [String]) throws {
        var command = try OMSUpgradeCommand.parseAsRoot(arguments)
        #expect(!(command is AsyncParsableCommand), "\(arguments) parsed into one of the tool's own commands")
        do {
            try command.run()
            Issue.record("\(arguments): the help command returned instead of asking for its help to be printed")
        } catch {
            #expect(CommandFailure.isParserRequest(error), "\(arguments): \(error) would be reported as a failure")
            #expect(OMSUpgradeCommand.exitCode(for: error) == .success)
            let text = OMSUpgradeCommand.fullMessage(for: error)
            let usage = arguments.contains("plan") ? "USAGE: oms-upgrade plan" : "USAGE: oms-upgrade"
            #expect(text.contains(usage) && !text.contains("CommandError"), "\(arguments): \(text)")
        }
    }

    @Test("a failure or an ExitCode a command throws is not taken for a help request")
    func failuresAreNotRequests() {
        struct Broken: Error {}
        #expect(!CommandFailure.isParserRequest(Broken()))
        #expect(!CommandFailure.isParserRequest(ExitCode(1)))
        #expect(!CommandFailure.isParserRequest(ValidationError("bad")))
        #expect(CommandFailure.isParserRequest(CleanExit.helpRequest()))
    }

    @Test("an unknown subcommand or option is a usage error naming it")
    func unknownWords() {
        expectUsageError(["upgrade-now"], mentioning: "upgrade-now")
        expectUsageError(["status", "--frobnicate"], mentioning: "--frobnicate")
    }

    @Test("plan and apply require --container and --image")
    func requiredUpgradeOptions() {
        expectUsageError(["plan", "--image", "oms:feature_3.3.0_ce"], mentioning: "--container")
        expectUsageError(["apply", "--container", "oms"], mentioning: "--image")
    }

    @Test("a number option given a word is a usage error naming the option")
    func numbersMustBeNumbers() {
        expectUsageError(
            ["plan", "--container", "oms", "--image", "i", "--stop-timeout", "soon"],
            mentioning: "--stop-timeout")
    }

    @Test("apply validates --meta-retry-timeout and has no --dumper (only the native dumper writes captured objects)")
    func applyValidation() throws {
        let base = ["apply", "--container", "oms", "--image", "oms:feature_3.3.0_ce"]
        expectUsageError(base + ["--dumper", "mysqldump"], mentioning: "--dumper")
        expectUsageError(base + ["--meta-retry-timeout=-1"], mentioning: "--meta-retry-timeout must be 0 or more")
        let apply = try #require(try OMSUpgradeCommand.parseAsRoot(base + ["--yes"]) as? ApplyCommand)
        #expect(apply.upgrade.planOptions().dumper == .native)
        #expect(apply.yes)
        #expect(!apply.noAutoRollback)
    }

    @Test("plan and apply refuse timeouts that cannot be waited", arguments: ["plan", "apply"])
    func timeoutsValidation(_ name: String) {
        let base = [name, "--container", "oms", "--image", "oms:feature_3.3.0_ce"]
        expectUsageError(base + ["--stop-timeout=-1"], mentioning: "--stop-timeout must be 0 or more")
        expectUsageError(base + ["--init-timeout", "0"], mentioning: "--init-timeout must be 1 or more")
        expectUsageError(base + ["--health-timeout", "0"], mentioning: "--health-timeout must be 1 or more")
        #expect(parseError(base + ["--stop-timeout", "0"]) == nil)
    }

    @Test("resume and rollback refuse a negative --meta-retry-timeout", arguments: ["resume", "rollback"])
    func runOptionsValidation(_ name: String) throws {
        expectUsageError([name, "--health-timeout", "0"], mentioning: "--health-timeout must be 1 or more")
        expectUsageError([name, "--meta-retry-timeout=-5"], mentioning: "--meta-retry-timeout must be 0 or more")
        #expect(parseError([name, "--meta-retry-timeout", "0"]) == nil)
    }

    @Test("the data commands take exactly one of --container and --config", arguments: ["prune-heartbeat", "backup"])
    func deploymentTargetIsExactlyOne(_ name: String) {
        expectUsageError([name], mentioning: "exactly one of --container and --config")
        expectUsageError(
            [name, "--container", "oms", "--config", "/etc/oms/config.yaml"],
            mentioning: "exactly one of --container and --config")
        #expect(parseError([name, "--config", "/etc/oms/config.yaml"]) == nil)
    }

    @Test("enumerated options refuse unknown values and list the accepted ones")
    func enumeratedValues() {
        expectUsageError(["status", "--progress", "fancy"], mentioning: "auto")
        expectUsageError(["prune-heartbeat", "--config", "c.yaml", "--strategy", "truncate"], mentioning: "swap")
        expectUsageError(["backup", "--config", "c.yaml", "--dumper", "tar"], mentioning: "mysqldump")
    }

    @Test("verify and restore need the backup directory")
    func backupDirectoryArgument() {
        expectUsageError(["verify"], mentioning: "<directory>")
        expectUsageError(["restore", "--config", "c.yaml"], mentioning: "<directory>")
    }

    @Test("the plan options reach PlanOptions unchanged, defaults included")
    func planOptionsMapping() throws {
        let parsed = try OMSUpgradeCommand.parseAsRoot([
            "plan", "--container", "oms old", "--image", "oms:feature_3.3.0_ce", "--name", "oms;new",
            "--stop-timeout", "7",
        ])
        let plan = try #require(parsed as? PlanCommand)
        let options = plan.upgrade.planOptions()
        #expect(options.container == "oms old")
        #expect(options.image == "oms:feature_3.3.0_ce")
        #expect(options.newName == "oms;new")
        #expect(options.stopTimeout == 7)
        #expect(options.initTimeout == 1800)
        #expect(options.healthTimeout == 600)
    }

    @Test("report and cleanup read --work-dir and --run the same way; both default to the newest run")
    func runLocationOfReportAndCleanup() throws {
        let report = try #require(
            try OMSUpgradeCommand.parseAsRoot(["report", "--work-dir", "/w", "--run", "r1"]) as? ReportCommand)
        #expect(report.location.workDir == "/w" && report.location.run == "r1")
        let cleanup = try #require(
            try OMSUpgradeCommand.parseAsRoot(["cleanup", "--work-dir", "/w", "--run", "r1", "--container", "c"])
                as? CleanupCommand)
        #expect(cleanup.location.workDir == "/w" && cleanup.location.run == "r1" && cleanup.container == "c")
        let defaults = try #require(try OMSUpgradeCommand.parseAsRoot(["cleanup"]) as? CleanupCommand)
        #expect(defaults.location.workDir == WorkDirectory.defaultPath && defaults.location.run == nil)
    }
}
