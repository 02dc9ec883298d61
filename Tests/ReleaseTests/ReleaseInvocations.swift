import Foundation

/// The command lines every shipped build must answer without touching anything: help and version.
enum ReleaseInvocations {
    /// Every subcommand's name.
    static let subcommands = [
        "plan", "apply", "status", "resume", "rollback", "cleanup", "report", "prune-heartbeat", "backup", "verify",
        "restore",
    ]

    /// The command lines and what the first line of their output starts with (nil: checked otherwise).
    static func all(version: String) -> [(arguments: [String], firstLine: String)] {
        let overview = "OVERVIEW: Upgrade and roll back OceanBase Migration Service"
        var lines: [(arguments: [String], firstLine: String)] = [
            (["--version"], "\(version) (commit "),
            (["--help"], overview), (["-h"], overview), (["help"], overview),
            (["help", "plan"], "OVERVIEW: "), (["plan", "--help"], "OVERVIEW: "),
        ]
        lines += subcommands.map { (arguments: [$0, "--help"], firstLine: "OVERVIEW: ") }
        lines += subcommands.map { (arguments: ["help", $0], firstLine: "OVERVIEW: ") }
        return lines
    }

    /// What `arguments`' output must also hold: the usage line of the command it asks about.
    static func usage(of arguments: [String]) -> String? {
        guard arguments != ["--version"] else { return nil }
        let command = arguments.first { subcommands.contains($0) }
        return command.map { "USAGE: oms-upgrade \($0)" } ?? "USAGE: oms-upgrade <subcommand>"
    }

    /// One output of a command line: exit status and the combined output.
    struct Outcome: Sendable {
        var status: Int32
        var output: String
        var firstLine: String {
            output.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        }
    }

    /// A POSIX sh script that runs `$1` with each further argument's words and prints each outcome
    /// between `@@ <words>` and `@@ status <n>` lines (the words never hold spaces of their own).
    static let shellScript = """
        tool=$1; shift
        for words in "$@"; do
            out=$("$tool" $words 2>&1); status=$?
            printf '@@ %s\\n%s\\n@@ status %s\\n' "$words" "$out" "$status"
        done
        """

    /// Parses ``shellScript``'s output into outcomes keyed by the words.
    static func parse(_ text: String) -> [String: Outcome] {
        var outcomes: [String: Outcome] = [:]
        var current: String?
        var body: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("@@ status "), let words = current {
                outcomes[words] = Outcome(
                    status: Int32(line.dropFirst("@@ status ".count)) ?? -1, output: body.joined(separator: "\n"))
                current = nil
            } else if line.hasPrefix("@@ "), current == nil {
                current = String(line.dropFirst(3))
                body = []
            } else if current != nil {
                body.append(line)
            }
        }
        return outcomes
    }

    /// The problems with `outcomes` (empty when every command line answered as it must).
    static func problems(in outcomes: [String: Outcome], version: String) -> [String] {
        all(version: version).compactMap { arguments, firstLine in
            let words = arguments.joined(separator: " ")
            guard let outcome = outcomes[words] else { return "\(words): did not run" }
            if outcome.status != 0 { return "\(words): exit \(outcome.status): \(outcome.output.prefix(400))" }
            if !outcome.firstLine.hasPrefix(firstLine) { return "\(words): first line \(outcome.firstLine)" }
            if outcome.output.contains("CommandError") { return "\(words): \(outcome.output.prefix(400))" }
            if let usage = usage(of: arguments), !outcome.output.contains(usage) {
                return "\(words): lacks \(usage): \(outcome.output.prefix(400))"
            }
            return nil
        }
    }
}
