/// No documented route leads from the running release to the requested one; printed as one
/// sentence that names the accepted sources or the hop to take first.
public struct UpgradeRouteError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Why there is no route.
    public enum Reason: Sendable, Equatable {
        /// The target is not in the table at all.
        case unknownTarget(documentedTargets: [String])
        /// The target can only be installed fresh.
        case freshInstallOnly
        /// The source is not one the target accepts; `via` is the release to upgrade to first, if documented.
        case sourceNotAccepted(accepted: [String], via: OMSVersion?)
        /// The source is not older than the target.
        case notAnUpgrade
    }

    /// The running release.
    public var from: OMSVersion
    /// The requested release.
    public var to: OMSVersion
    /// Why there is no route.
    public var reason: Reason

    /// Creates an error.
    public init(from: OMSVersion, to: OMSVersion, reason: Reason) {
        self.from = from
        self.to = to
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .unknownTarget(let targets):
            return
                "No documented upgrade route leads to \(to) from \(from): the route table knows the targets \(targets.joined(separator: ", ")); pick one of those images."
        case .freshInstallOnly:
            return
                "\(to) can only be installed fresh, not reached by an upgrade from \(from): pick another target release."
        case .sourceNotAccepted(let accepted, let via?):
            return
                "\(to) accepts upgrades only from \(accepted.joined(separator: ", ")), not from \(from): upgrade to \(via) first, then to \(to)."
        case .sourceNotAccepted(let accepted, nil):
            return
                "\(to) accepts upgrades only from \(accepted.joined(separator: ", ")), not from \(from): pick a target release that accepts \(from)."
        case .notAnUpgrade:
            return
                "\(from) is not older than \(to): oms-upgrade only upgrades; to go back, use its rollback of the upgrade that brought \(from)."
        }
    }
}
