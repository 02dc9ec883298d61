import Foundation

/// The outcome of a preflight: every check, what was found, and the ready plan when no check failed.
///
/// `plan` prints it; `apply` runs its ``plan`` or prints its failures. As JSON it has the keys of
/// `plan.json` (the ready plan's, or the findings' when a check failed) and `ready`.
public struct PlanReport: Sendable {
    public var options: PlanOptions
    public var createdAt: Date
    public var checks: [PreflightCheck]
    /// What was found, complete when ``plan`` is there.
    public var findings: PlanFindings
    /// The plan to run; nil exactly when a check failed.
    public private(set) var plan: UpgradePlan?

    /// The report of a finished preflight: the plan is made when no check failed.
    ///
    /// A preflight that failed no check yet left a part of the plan unknown gets a failed `plan`
    /// check naming it, rather than a plan with holes.
    public init(options: PlanOptions, createdAt: Date = Date(), checks: [PreflightCheck], findings: PlanFindings) {
        self.options = options
        self.createdAt = createdAt
        self.checks = checks
        self.findings = findings
        guard !checks.contains(where: { $0.status == .fail }) else { return }
        if let plan = UpgradePlan(options: options, createdAt: createdAt, checks: checks, findings: findings) {
            self.plan = plan
        } else {
            self.checks.append(
                .fail(
                    "plan", "The checks passed but left unknown: \(findings.missing.joined(separator: ", ")).",
                    remedy: "Report this as a bug in oms-upgrade, with the output of `oms-upgrade plan`."))
        }
    }

    /// The report of a ready plan.
    public init(plan: UpgradePlan) {
        options = plan.options
        createdAt = plan.createdAt
        checks = plan.checks
        findings = PlanFindings(plan)
        self.plan = plan
    }

    /// The report of a failed preflight, as read back.
    private init(failed options: PlanOptions, createdAt: Date, checks: [PreflightCheck], findings: PlanFindings) {
        self.options = options
        self.createdAt = createdAt
        self.checks = checks
        self.findings = findings
    }

    /// Whether every check passed (warnings allowed), so that ``plan`` is there.
    public var isReady: Bool { plan != nil }

    /// The checks that failed.
    public var failures: [PreflightCheck] { checks.filter { $0.status == .fail } }
}

extension PlanReport: Codable {
    private enum CodingKeys: String, CodingKey {
        case ready, options, createdAt, checks, metaEndpoint
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if try container.decode(Bool.self, forKey: .ready) {
            self.init(plan: try UpgradePlan(from: decoder))
        } else {
            self.init(
                failed: try container.decode(PlanOptions.self, forKey: .options),
                createdAt: try container.decode(Date.self, forKey: .createdAt),
                checks: try container.decode([PreflightCheck].self, forKey: .checks),
                findings: try PlanFindings(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if let plan {
            try plan.encode(to: encoder)
        } else {
            try findings.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(options, forKey: .options)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(checks, forKey: .checks)
            try container.encodeIfPresent(findings.metaServer?.text, forKey: .metaEndpoint)
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(isReady, forKey: .ready)
    }
}
