/// The buffered result of a query.
public struct ResultSet: Sendable, Sequence {
    /// The columns (empty for a statement that returns no result set).
    public let columns: [Column]
    /// All rows.
    public let rows: [Row]

    /// Creates a result.
    public init(columns: [Column], rows: [Row]) {
        self.columns = columns
        self.rows = rows
    }

    /// The number of rows.
    public var count: Int { rows.count }
    /// Whether there are no rows.
    public var isEmpty: Bool { rows.isEmpty }
    /// The first row, if any.
    public var first: Row? { rows.first }

    /// Iterates over the rows.
    public func makeIterator() -> IndexingIterator<[Row]> {
        rows.makeIterator()
    }
}
