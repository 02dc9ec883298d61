import Foundation

/// The outage estimated part by part, each from a measurement named in its basis.
///
/// The parts are the upgrade's downtime steps: the old container's stop, the catch-up, the
/// prune, the new container's start, the vendor's `docker_init.sh`, and the health wait. The
/// init cannot be known before it runs: its figure is an earlier run's of the same route on
/// the same deployment, or absent. Stored in `plan.json` (`outageEstimate`) and, as made again
/// just before the stop, in the run's `estimate.json`.
public struct OutageEstimate: Codable, Sendable, Equatable {
    /// One part of the outage, named for the step that is it.
    public enum Part: String, Codable, Sendable, CaseIterable {
        case stop
        case catchUp = "catch-up"
        case prune
        case start
        case initScript = "init"
        case health

        /// The step whose duration this part is.
        public var step: StepID {
            switch self {
            case .stop: .stopOld
            case .catchUp: .catchUp
            case .prune: .prune
            case .start: .startNew
            case .initScript: .initSchema
            case .health: .health
            }
        }

        /// The part in words.
        public var title: String {
            switch self {
            case .stop: "stop the old container"
            case .catchUp: "catch-up"
            case .prune: "prune the heartbeat table"
            case .start: "start the new container"
            case .initScript: "docker_init.sh (the vendor's)"
            case .health: "health wait"
            }
        }
    }

    /// One part's estimate.
    public struct Item: Codable, Sendable, Equatable {
        public var part: Part
        /// Seconds; nil when it cannot be known.
        public var seconds: Double?
        /// What the figure was made of, for a person.
        public var basis: String
        /// Of ``seconds``, what OMS itself is expected to take (the new OMS's start-up after its init, in the
        /// health wait); nil when none of it is.
        public var omsSeconds: Double?

        public init(part: Part, seconds: Double?, basis: String, omsSeconds: Double? = nil) {
            self.part = part
            self.seconds = seconds
            self.basis = basis
            self.omsSeconds = omsSeconds
        }
    }

    /// Every part, in the order they run.
    public var items: [Item]
    /// When it was made: `plan`, or `before the stop`.
    public var madeAt: String
    /// Rows per second the change capture saw during the online copy, when measured.
    public var changeRate: Double?

    public init(items: [Item], madeAt: String, changeRate: Double? = nil) {
        self.items = items
        self.madeAt = madeAt
        self.changeRate = changeRate
    }

    /// The estimate of `part`, nil when unknown.
    public func seconds(_ part: Part) -> Double? { items.first { $0.part == part }?.seconds }

    /// The tool's own part: everything but the vendor's init script.
    public var toolSeconds: Double {
        items.filter { $0.part != .initScript }.compactMap(\.seconds).reduce(0, +)
    }

    /// The tool's work: its own part less what OMS itself is expected to take of it (``Item/omsSeconds``).
    public var toolWorkSeconds: Double {
        toolSeconds - items.filter { $0.part != .initScript }.compactMap(\.omsSeconds).reduce(0, +)
    }

    /// The whole outage, when the init's figure is known.
    public var totalSeconds: Double? { seconds(.initScript).map { toolSeconds + $0 } }

    /// The estimate as lines for a person: each part with its basis, then the totals.
    public func lines() -> [String] {
        var lines = items.map { item in
            let figure = item.seconds.map { Self.format($0) } ?? "unknown"
            return "  \(item.part.title): \(figure) (\(item.basis))"
        }
        if let changeRate { lines.append(String(format: "  change rate seen by the capture: %.1f rows/s", changeRate)) }
        lines.append("  the tool's own part (all but init): \(Self.format(toolSeconds))")
        if toolWorkSeconds < toolSeconds {
            lines.append(
                "    of which the new OMS's own start-up after its init \(Self.format(toolSeconds - toolWorkSeconds)),"
                    + " the tool's work \(Self.format(toolWorkSeconds))")
        }
        if let total = totalSeconds {
            lines.append("  total, stop to healthy: about \(Self.format(total))")
        } else {
            lines.append(
                "  total, stop to healthy: \(Self.format(toolSeconds)) plus docker_init.sh, which cannot be known before it runs"
            )
        }
        return lines
    }

    /// Seconds as a person reads them: `0.42 s`, `12.3 s`, `107 s`.
    public static func format(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.2f s", seconds) }
        if seconds < 100 { return String(format: "%.1f s", seconds) }
        return String(format: "%.0f s", seconds)
    }
}
