/// What a statement without a result set did.
public struct ExecuteResult: Sendable, Hashable {
    /// Rows inserted, updated or deleted (`mysql_affected_rows`).
    public let affectedRows: UInt64
    /// The `AUTO_INCREMENT` value the statement generated, or 0.
    public let lastInsertID: UInt64
    /// The number of warnings the statement raised.
    public let warningCount: UInt32

    /// Creates a result.
    public init(affectedRows: UInt64, lastInsertID: UInt64, warningCount: UInt32) {
        self.affectedRows = affectedRows
        self.lastInsertID = lastInsertID
        self.warningCount = warningCount
    }
}
