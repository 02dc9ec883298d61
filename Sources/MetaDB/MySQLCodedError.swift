/// An error that reports a MySQL error: the server's or the client library's error number and SQLSTATE.
///
/// ``MetaDBError`` is one; so is what a client program (`mariadb-dump`, `mysql`) printed when it
/// failed. Code that decides by the error (wait out a lost connection, tolerate a known refusal)
/// reads these fields, found through ``ErrorChain``, never the error's text.
public protocol MySQLCodedError: Error {
    /// The MySQL/MariaDB error number (server `1xxx`, client `2xxx`), or 0 when unknown.
    var code: UInt32 { get }
    /// The five-character SQLSTATE, `HY000` when unknown.
    var sqlState: String { get }
}

/// An error made from other errors, which it keeps so that what they carry (a server's error code) stays readable.
public protocol WrappingError: Error {
    /// The errors this one was made from; empty when it wraps none.
    var wrappedErrors: [any Error] { get }
}

extension MetaDBError: MySQLCodedError {}

/// Walks an error and the errors it wraps (``WrappingError``).
public enum ErrorChain {
    /// How deep wrapping is followed; deeper errors are not read.
    static let maximumDepth = 16

    /// `error` followed by every error it wraps, depth first, outermost first.
    public static func errors(in error: any Error) -> [any Error] {
        var found: [any Error] = []
        collect(error, depth: 0, into: &found)
        return found
    }

    /// The MySQL errors in `error` and in the errors it wraps, outermost first.
    public static func mysqlErrors(in error: any Error) -> [any MySQLCodedError] {
        errors(in: error).compactMap { $0 as? any MySQLCodedError }
    }

    /// The MySQL error numbers in `error` and in the errors it wraps, outermost first (0, for unknown, left out).
    public static func mysqlCodes(in error: any Error) -> [UInt32] {
        mysqlErrors(in: error).map(\.code).filter { $0 != 0 }
    }

    private static func collect(_ error: any Error, depth: Int, into found: inout [any Error]) {
        found.append(error)
        guard depth < maximumDepth, let wrapping = error as? any WrappingError else { return }
        for inner in wrapping.wrappedErrors { collect(inner, depth: depth + 1, into: &found) }
    }
}
