/// config.yaml could not be read or lacks something OMS needs; each case prints as one
/// actionable sentence naming the file (and the key or line).
public struct OMSConfigError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong.
    public enum Problem: Sendable, Equatable {
        /// The file could not be read.
        case unreadable(reason: String)
        /// The YAML does not parse (line and column 1-based, when known).
        case malformedYAML(line: Int?, column: Int?, problem: String)
        /// The top level is not a mapping of keys to values.
        case notAMapping
        /// A required key is absent or empty.
        case missingKey(String)
        /// A key's value is not acceptable (`expected` says what is).
        case invalidValue(key: String, expected: String)
        /// The path names a FIFO, a device, a socket or a directory (`kind`), not a regular file.
        case notARegularFile(kind: String)
        /// The file is larger than `limit` bytes, far more than any config.yaml.
        case tooLarge(limit: Int)
        /// The YAML expands to more than `limit` values (aliases of aliases: a "billion laughs" document).
        case tooManyValues(limit: Int)
    }

    /// The file, as given.
    public var path: String
    /// What went wrong.
    public var problem: Problem

    /// Creates an error.
    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// The key involved, if any.
    public var key: String? {
        switch problem {
        case .missingKey(let key), .invalidValue(let key, _): return key
        default: return nil
        }
    }

    public var description: String {
        switch problem {
        case .unreadable(let reason):
            return
                "config.yaml at \(path) cannot be read (\(reason)): run oms-upgrade on the OMS host, as a user that can read the file."
        case .malformedYAML(let line, let column, let problem):
            let place = line.map { "line \($0)" + (column.map { ", column \($0)" } ?? "") } ?? "an unknown line"
            return "config.yaml at \(path) is not valid YAML at \(place) (\(problem)): fix that line and try again."
        case .notAMapping:
            return
                "config.yaml at \(path) is not a mapping of keys to values: it does not look like an OMS config.yaml; check the file the container mounts."
        case .missingKey(let key):
            return "config.yaml at \(path) is missing \(key): add it (\(OMSConfigKeys.meaning(of: key))) and try again."
        case .invalidValue(let key, let expected):
            return "config.yaml at \(path) has an invalid \(key): it must be \(expected); fix it and try again."
        case .notARegularFile(let kind):
            return "config.yaml at \(path) is \(kind), not a regular file: give the path of the config.yaml file "
                + "the OMS container mounts."
        case .tooLarge(let limit):
            return "config.yaml at \(path) is larger than \(limit / 1024) KiB, far more than an OMS config.yaml holds: "
                + "check that the path names the OMS config.yaml."
        case .tooManyValues(let limit):
            return "config.yaml at \(path) expands to more than \(limit) values through YAML aliases (*name), which an "
                + "OMS config.yaml never needs: remove the anchors (&name) and aliases and try again."
        }
    }
}
