import MetaDB

/// A failure of the upgrade engine, printed as a sentence the operator can act on.
public enum EngineError: Error, Sendable, CustomStringConvertible, WrappingError {
    /// A file or directory could not be read or written.
    case io(String)
    /// Another run holds the deployment's lock.
    case locked(String)
    /// The plan's checks failed; nothing was changed.
    case preflightFailed([String])
    /// The operator declined, or no terminal was there to ask.
    case notConfirmed(String)
    /// A step failed; `underlying` is the error that made it fail, when there is one (a ``MetaDB/MetaDBError``…).
    case stepFailed(StepID, String, underlying: (any Error)? = nil)
    /// There is no run to resume, roll back or show.
    case noRun(String)
    /// The run is in a state that does not allow the request.
    case invalidState(String)
    /// A rollback cannot go on without a person; `underlying` is the error that stopped it, when there is one.
    case rollbackBlocked(String, underlying: (any Error)? = nil)
    /// The deployment's lock was lost to another process; the run stopped at a safe point.
    case lockLost(String)
    /// A signal (SIGINT, SIGTERM) stopped the run at a safe point.
    case interrupted(signal: Int32, String)

    /// Whether a signal stopped the run (it must not roll back on its own, only stop).
    public var isInterruption: Bool {
        if case .interrupted = self { return true }
        return false
    }

    /// The error a step failure or a blocked rollback wraps, for ``MetaDB/ErrorChain``.
    public var wrappedErrors: [any Error] {
        switch self {
        case .stepFailed(_, _, let underlying?), .rollbackBlocked(_, let underlying?): [underlying]
        default: []
        }
    }

    public var description: String {
        switch self {
        case .io(let text): "I/O error: \(text)."
        case .locked(let text): text
        case .preflightFailed(let problems):
            "The upgrade did not start because \(problems.count) check(s) failed; nothing was changed:\n"
                + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .notConfirmed(let text): text
        case .stepFailed(let step, let text, _): "Step \(step.rawValue) failed: \(text)"
        case .noRun(let text): text
        case .invalidState(let text): text
        case .rollbackBlocked(let text, _): "The rollback cannot go on: \(text)"
        case .lockLost(let text): "The run stopped: \(text)."
        case .interrupted(_, let text): text
        }
    }
}
