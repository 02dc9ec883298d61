import Foundation
import MetaDB
import SystemPackage

/// An error from backup, verification, restore, snapshot or pruning, worded as one actionable sentence.
///
/// The description says what failed, where (database, table, file), why (the
/// server's or the system's words) and, when known, what to do about it. It never
/// contains a password: database errors come from ``MetaDB/MetaDBError``, which
/// scrubs it, and credentials for client tools live only in a defaults file.
public struct MetaDumpError: Error, Sendable, CustomStringConvertible, WrappingError {
    /// The category of failure, for callers that branch on it (exit codes, retries).
    public enum Kind: String, Sendable, Hashable {
        /// A statement failed or the connection was lost.
        case database
        /// Reading or writing a file or directory failed (full disk, permissions).
        case fileSystem
        /// A required client program (`mariadb-dump`, `mysqldump`, `mariadb`, `mysql`) was not found.
        case toolNotFound
        /// A client program ran and failed.
        case toolFailed
        /// A backup or restored database does not match its manifest.
        case verificationFailed
        /// The operation was refused to protect data (non-empty target, existing directory, swap refused).
        case refused
        /// The data or server uses something this tool does not handle.
        case unsupported
        /// The data changed while it was being copied, or state on the server is not what an earlier step left.
        case inconsistent
        /// An argument was not valid (a name too long, a label with odd characters).
        case invalidArgument
        /// Some other error, kept in ``MetaDumpError/underlying``.
        case unexpected
    }

    /// The category of failure.
    public let kind: Kind
    /// What was being done, e.g. "Dumping table `rm`.`oms_project`".
    public let action: String
    /// Why it failed, in the words of the server, the system or the check.
    public let reason: String
    /// The database concerned, if any.
    public let database: String?
    /// The table or view concerned, if any.
    public let table: String?
    /// The file concerned, if any.
    public let file: String?
    /// What a person can do about it, when known.
    public let remedy: String?
    /// The error this one wraps (a ``MetaDB/MetaDBError``, a system error, …), when it wraps one.
    public let underlying: (any Error)?

    /// The wrapped error, for ``MetaDB/ErrorChain``.
    public var wrappedErrors: [any Error] { underlying.map { [$0] } ?? [] }

    /// Creates an error; `action` and `reason` are joined as "action failed: reason."
    public init(
        _ kind: Kind, action: String, reason: String, database: String? = nil, table: String? = nil,
        file: String? = nil, remedy: String? = nil, underlying: (any Error)? = nil
    ) {
        self.underlying = underlying
        self.kind = kind
        self.action = action
        self.reason = reason
        self.database = database
        self.table = table
        self.file = file
        self.remedy = remedy
    }

    /// "action failed: reason. remedy"
    public var description: String {
        var text = action + " failed"
        if let file, !action.contains(file) { text += " (file \(file))" }
        if !reason.isEmpty { text += ": " + reason }
        if !text.hasSuffix(".") { text += "." }
        if let remedy, !remedy.isEmpty { text += " " + remedy }
        return text
    }

    /// Wraps any error thrown while doing `action`, keeping a ``MetaDumpError`` as it is.
    static func wrap(
        _ error: any Error, action: String, database: String? = nil, table: String? = nil, file: String? = nil
    ) -> MetaDumpError {
        if let own = error as? MetaDumpError { return own }
        // MetaDBError's description already names the endpoint and a remedy for known codes.
        return MetaDumpError(
            kind(of: error), action: action, reason: "\(error)", database: database, table: table,
            file: file, underlying: error)
    }

    /// The category of an error this module did not make.
    static func kind(of error: any Error) -> Kind {
        switch error {
        case is MetaDBError: .database
        case is Errno, is POSIXError, is CocoaError: .fileSystem
        default: .unexpected
        }
    }
}

/// Runs `body`, turning any error into a ``MetaDumpError`` that names `action` and the context.
package func withContext<T>(
    _ action: @autoclosure () -> String, database: String? = nil, table: String? = nil, file: String? = nil,
    _ body: () throws -> T
) throws(MetaDumpError) -> T {
    do {
        return try body()
    } catch {
        throw MetaDumpError.wrap(error, action: action(), database: database, table: table, file: file)
    }
}

/// Awaits `body`, turning any error into a ``MetaDumpError`` that names `action` and the context.
package func withContext<T>(
    _ action: @autoclosure () -> String, database: String? = nil, table: String? = nil, file: String? = nil,
    _ body: () async throws -> T
) async throws(MetaDumpError) -> T {
    do {
        return try await body()
    } catch {
        throw MetaDumpError.wrap(error, action: action(), database: database, table: table, file: file)
    }
}
