extension BuildInfo {
    /// What `oms-upgrade --version` prints: `0.1.0 (commit 0123456789ab, built 2026-01-31T12:00:00Z)`.
    public static var versionLine: String {
        "\(version) (commit \(commit), built \(date))"
    }
}
