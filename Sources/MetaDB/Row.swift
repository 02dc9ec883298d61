/// One row of a result: its values and the result's columns.
///
/// `columns` is the result's single array, shared by every row (copy-on-write,
/// so holding it costs one reference).
public struct Row: Sendable {
    /// The result's columns, shared by all rows.
    public let columns: [Column]
    /// The values, one per column.
    public let values: [Value]

    /// Creates a row; `values` must have one value per column.
    public init(columns: [Column], values: [Value]) {
        precondition(columns.count == values.count, "a row needs one value per column")
        self.columns = columns
        self.values = values
    }

    /// The number of values.
    public var count: Int { values.count }

    /// The value at position `i` (0-based).
    public subscript(_ i: Int) -> Value {
        values[i]
    }

    /// The value of the first column named `name` (exact match first, then ASCII case-insensitive, like MySQL); `nil` if there is none.
    public subscript(_ name: String) -> Value? {
        if let i = columns.firstIndex(where: { $0.name == name }) {
            return values[i]
        }
        let lowered = name.lowercased()
        if let i = columns.firstIndex(where: { $0.name.lowercased() == lowered }) {
            return values[i]
        }
        return nil
    }
}
