/// One preflight check's outcome: what was checked, how it went, and what to do about it.
public struct PreflightCheck: Codable, Sendable, Equatable {
    /// How a check went.
    public enum Status: String, Codable, Sendable {
        case pass, warn, fail
    }

    /// A stable short name, e.g. `docker`, `metadata-db`, `free-space`.
    public var name: String
    public var status: Status
    /// What was found, one line.
    public var detail: String
    /// What to do when it did not pass, one line.
    public var remedy: String?

    public init(name: String, status: Status, detail: String, remedy: String? = nil) {
        self.name = name
        self.status = status
        self.detail = detail
        self.remedy = remedy
    }

    public static func pass(_ name: String, _ detail: String) -> PreflightCheck {
        PreflightCheck(name: name, status: .pass, detail: detail)
    }

    public static func warn(_ name: String, _ detail: String, remedy: String? = nil) -> PreflightCheck {
        PreflightCheck(name: name, status: .warn, detail: detail, remedy: remedy)
    }

    public static func fail(_ name: String, _ detail: String, remedy: String) -> PreflightCheck {
        PreflightCheck(name: name, status: .fail, detail: detail, remedy: remedy)
    }

    /// The check as one sentence for error lists: detail plus remedy.
    public var sentence: String {
        [detail, remedy].compactMap { $0 }.joined(separator: " ")
    }
}
