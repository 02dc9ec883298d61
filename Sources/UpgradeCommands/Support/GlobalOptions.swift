import ArgumentParser
import Containers
import Logging
import TerminalProgress

/// Options every subcommand takes: progress drawing, log level and the Docker endpoint.
public struct GlobalOptions: ParsableArguments {
    @Option(help: "How progress is drawn on stderr: auto (live on a terminal, plain otherwise), plain, none.")
    var progress: ProgressMode = .auto

    @Option(help: "Log detail on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    @Option(help: "The Docker context to use (like `docker --context`); DOCKER_CONTEXT is honoured too.")
    var context: String?

    @Option(
        name: [.customShort("H"), .customLong("host")],
        help:
            "The Docker daemon to talk to (like `docker -H`), e.g. unix:///var/run/docker.sock or ssh://user@host; DOCKER_HOST is honoured too."
    )
    var dockerHost: String?

    public init() {}

    /// The progress reporter for this run.
    func makeReporter() -> ProgressReporter { ProgressReporter(mode: progress) }

    /// A logger writing to stderr at the chosen level.
    func makeLogger(label: String = "oms-upgrade") -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        return logger
    }

    /// The container engine, reached through the docker CLI.
    func makeEngine(logger: Logger) -> DockerCLI {
        DockerCLI(context: context, host: dockerHost, logger: logger)
    }
}

extension ProgressMode: ExpressibleByArgument {}

// Both types are other packages'; this conformance is how ArgumentParser parses --log-level.
// swift-format-ignore: AvoidRetroactiveConformances
extension Logger.Level: @retroactive ExpressibleByArgument {}
