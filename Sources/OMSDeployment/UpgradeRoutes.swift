import Foundation

/// The table of documented upgrade routes, `Resources/upgrade-routes.json` (compiled into the binary).
///
/// The table is data: each entry names a target release (or a lowest target, `targetFrom`),
/// the sources it accepts (exact releases or inclusive ranges), and its extras.
public struct UpgradeRoutes: Sendable {
    /// One row of the table.
    public struct Entry: Sendable, Codable, Equatable {
        /// An exact target release `X.Y.Z`.
        public var target: String?
        /// Or: every target from this release on.
        public var targetFrom: String?
        /// The accepted sources.
        public var sources: [SourceRange]?
        /// When a source is older than every accepted one: the release to upgrade to first.
        public var olderSourcesVia: String?
        /// The target can only be installed fresh.
        public var freshInstallOnly: Bool?
        /// Disable HA before, enable after.
        public var haOffDuringUpgrade: Bool?
        /// Stop and upgrade every node of the region.
        public var allNodes: Bool?
        /// Variables for the new container.
        public var env: [RouteEnvironmentVariable]?
        /// Remarks for the plan.
        public var notes: [String]?
    }

    /// Accepted sources: an exact release, or an inclusive range (`to` absent: no upper bound).
    public struct SourceRange: Sendable, Codable, Equatable {
        /// Exactly this release.
        public var exact: String?
        /// From this release on.
        public var from: String?
        /// Up to this release, inclusive.
        public var to: String?
        /// A remark on this source.
        public var note: String?

        /// Whether `version` (its release, bug-fix packs aside) falls in this range.
        func contains(_ version: OMSVersion) -> Bool {
            let release = version.release
            if let exact, let value = OMSVersion(parsing: exact) { return release == value }
            if let from, let lower = OMSVersion(parsing: from), release < lower { return false }
            if let to, let upper = OMSVersion(parsing: to), release > upper { return false }
            return from != nil || to != nil
        }

        /// `3.2.2-CE`, `4.2.0-CE to 4.2.8-CE`, `4.1.1-CE or later`.
        var label: String {
            func show(_ text: String) -> String { OMSVersion(parsing: text)?.description ?? text }
            if let exact { return show(exact) }
            switch (from, to) {
            case (let from?, let to?): return "\(show(from)) to \(show(to))"
            case (let from?, nil): return "\(show(from)) or later"
            case (nil, let to?): return "\(show(to)) or earlier"
            default: return "nothing"
            }
        }
    }

    private struct File: Codable {
        var schemaVersion: Int
        var routes: [Entry]
    }

    /// The rows, as read.
    public let entries: [Entry]

    /// Reads a table from JSON (the bundled file's format).
    public init(json data: Data) throws {
        do {
            entries = try JSONDecoder().decode(File.self, from: data).routes
        } catch {
            throw UpgradeRoutesLoadError(reason: "\(error)")
        }
        for entry in entries {
            let targets = [entry.target, entry.targetFrom].compactMap { $0 }
            guard targets.count == 1, OMSVersion(parsing: targets[0]) != nil else {
                throw UpgradeRoutesLoadError(reason: "a route needs exactly one of target or targetFrom, as X.Y.Z")
            }
        }
    }

    /// The table shipped with the tool: `Resources/upgrade-routes.json`, compiled in.
    ///
    /// The binary carries the table itself (`UpgradeRoutes+Table.swift`, written by
    /// `scripts/embed-routes.sh`), so it needs no resource directory beside it wherever it is
    /// installed or however it is started (the release starts it through its own loader, which
    /// `Bundle.main` would take for the executable).
    public static func bundled() throws -> UpgradeRoutes {
        try UpgradeRoutes(json: Data(embeddedJSON.utf8))
    }

    /// The row for `target`: its exact row, else the range row with the highest lower bound it reaches.
    public func entry(for target: OMSVersion) -> Entry? {
        let release = target.release
        if let exact = entries.first(where: { $0.target.flatMap(OMSVersion.init(parsing:)) == release }) {
            return exact
        }
        return
            entries
            .compactMap { entry in entry.targetFrom.flatMap(OMSVersion.init(parsing:)).map { (entry, $0) } }
            .filter { release >= $0.1 }
            .max { $0.1 < $1.1 }?.0
    }

    /// The route from `from` to `to`, or an error naming the accepted sources or the hop to take first.
    public func route(from: OMSVersion, to: OMSVersion) throws -> UpgradeRoute {
        guard from < to else {
            throw UpgradeRouteError(from: from, to: to, reason: .notAnUpgrade)
        }
        guard let entry = entry(for: to) else {
            let targets = entries.map { entry -> String in
                if let target = entry.target { return OMSVersion(parsing: target)?.description ?? target }
                return "\(OMSVersion(parsing: entry.targetFrom ?? "")?.description ?? "?") and later"
            }
            throw UpgradeRouteError(from: from, to: to, reason: .unknownTarget(documentedTargets: targets))
        }
        if entry.freshInstallOnly == true {
            throw UpgradeRouteError(from: from, to: to, reason: .freshInstallOnly)
        }
        let sources = entry.sources ?? []
        guard sources.contains(where: { $0.contains(from) }) else {
            var via: OMSVersion?
            if let hop = entry.olderSourcesVia.flatMap(OMSVersion.init(parsing:)), from.release < hop {
                via = hop
            }
            throw UpgradeRouteError(
                from: from, to: to, reason: .sourceNotAccepted(accepted: sources.map(\.label), via: via))
        }
        let sourceNotes = sources.filter { $0.contains(from) }.compactMap(\.note)
        return UpgradeRoute(
            from: from, to: to,
            haOffDuringUpgrade: entry.haOffDuringUpgrade ?? false,
            allNodes: entry.allNodes ?? false,
            env: entry.env ?? [],
            notes: (entry.notes ?? []) + sourceNotes
        )
    }
}

/// The route table could not be read.
public struct UpgradeRoutesLoadError: Error, Sendable, CustomStringConvertible {
    /// What is wrong with it.
    public var reason: String

    public var description: String {
        "The upgrade route table could not be read (\(reason)): reinstall oms-upgrade or fix upgrade-routes.json."
    }
}
