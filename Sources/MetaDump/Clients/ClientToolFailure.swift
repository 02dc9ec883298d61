import MetaDB

/// A client program (`mariadb-dump`, `mysql`, …) that exited with a failure, and the MySQL errors it printed.
///
/// The program's words are all there is of its error, so they are read once, here: each
/// `Got error: 2013: …` (the dump programs) and `ERROR 2006 (HY000) …` (the command-line client)
/// becomes a ``ReportedMySQLError`` whose code callers read through ``MetaDB/ErrorChain``.
public struct ClientToolFailure: WrappingError, Sendable, CustomStringConvertible {
    /// The program's name, e.g. `mariadb-dump`.
    public var tool: String
    /// How it ended, e.g. `exited with code 2`.
    public var status: String
    /// What it printed on standard error, lines joined with ` | `.
    public var standardError: String
    /// The MySQL errors it printed, in the order printed.
    public var reported: [ReportedMySQLError]

    /// Reads the MySQL errors out of `standardError`.
    public init(tool: String, status: String, standardError: String) {
        self.tool = tool
        self.status = status
        self.standardError = standardError
        self.reported = ReportedMySQLError.all(in: standardError)
    }

    public var wrappedErrors: [any Error] { reported }

    /// "mariadb-dump exited with code 2: mariadb-dump: Got error: 2002: … | …"
    public var description: String {
        "\(tool) \(status): \(standardError.isEmpty ? "no message" : standardError)"
    }
}

/// One MySQL error a client program printed on standard error.
public struct ReportedMySQLError: MySQLCodedError, Sendable, Hashable, CustomStringConvertible {
    public var code: UInt32
    public var sqlState: String

    public var description: String { "MySQL error \(code) (\(sqlState))" }

    /// The errors printed in `text`: `Got error: NNNN` (no SQLSTATE, so `HY000`) and `ERROR NNNN (SSSSS)`.
    static func all(in text: String) -> [ReportedMySQLError] {
        var found: [(position: String.Index, error: ReportedMySQLError)] = []
        for match in text.matches(of: #/Got error: (\d{4})/#) {
            if let code = UInt32(match.output.1) {
                found.append((match.range.lowerBound, ReportedMySQLError(code: code, sqlState: "HY000")))
            }
        }
        for match in text.matches(of: #/ERROR (\d{4}) \(([0-9A-Z]{5})\)/#) {
            if let code = UInt32(match.output.1) {
                let error = ReportedMySQLError(code: code, sqlState: String(match.output.2))
                found.append((match.range.lowerBound, error))
            }
        }
        return found.sorted { $0.position < $1.position }.map(\.error)
    }
}
