import CMariaDB

/// The description of one result column.
public struct Column: Sendable, Hashable {
    /// The column's name or alias in the result.
    public let name: String
    /// The name of the underlying table column (empty for expressions).
    public let originalName: String
    /// The table or its alias (empty for expressions).
    public let table: String
    /// The underlying table's real name (empty for expressions).
    public let originalTable: String
    /// The database (schema) of the table (empty for expressions).
    public let database: String
    /// The wire type.
    public let type: ColumnType
    /// The `*_FLAG` bits (`NOT_NULL_FLAG`, `PRI_KEY_FLAG`, `UNSIGNED_FLAG`, …).
    public let flags: UInt32
    /// The collation id of the column; 63 is `binary`.
    public let charsetNumber: UInt32
    /// The display width in bytes the server reports.
    public let length: UInt
    /// The number of decimals (fractional digits, or fractional seconds).
    public let decimals: UInt32

    /// Creates a column description.
    public init(
        name: String, originalName: String = "", table: String = "", originalTable: String = "",
        database: String = "", type: ColumnType, flags: UInt32 = 0, charsetNumber: UInt32 = 0,
        length: UInt = 0, decimals: UInt32 = 0
    ) {
        self.name = name
        self.originalName = originalName
        self.table = table
        self.originalTable = originalTable
        self.database = database
        self.type = type
        self.flags = flags
        self.charsetNumber = charsetNumber
        self.length = length
        self.decimals = decimals
    }

    /// The collation id of `binary`.
    public static let binaryCharset: UInt32 = 63

    /// A byte string (`BINARY`, `VARBINARY`, `BLOB`): charset 63 on a string or blob type.
    public var isBinary: Bool { charsetNumber == Self.binaryCharset && type.isStringOrBlob }
    /// A number whose text form parses with `Value.int64`/`uint64`/`double` (see ``ColumnType/isNumeric``).
    public var isNumeric: Bool { type.isNumeric }
    /// `UNSIGNED` numeric column.
    public var isUnsigned: Bool { flags & UInt32(UNSIGNED_FLAG) != 0 }
    /// The column may hold `NULL`.
    public var isNullable: Bool { flags & UInt32(NOT_NULL_FLAG) == 0 }
    /// Part of the table's primary key.
    public var isPrimaryKey: Bool { flags & UInt32(PRI_KEY_FLAG) != 0 }
    /// `AUTO_INCREMENT` column.
    public var isAutoIncrement: Bool { flags & UInt32(AUTO_INCREMENT_FLAG) != 0 }
    /// An `ENUM` column (sent as ``ColumnType/string``).
    public var isEnum: Bool { flags & UInt32(ENUM_FLAG) != 0 || type == .enumType }
    /// A `SET` column (sent as ``ColumnType/string``).
    public var isSet: Bool { flags & UInt32(SET_FLAG) != 0 || type == .set }

    init(field f: MYSQL_FIELD) {
        self.init(
            name: Self.text(f.name, f.name_length),
            originalName: Self.text(f.org_name, f.org_name_length),
            table: Self.text(f.table, f.table_length),
            originalTable: Self.text(f.org_table, f.org_table_length),
            database: Self.text(f.db, f.db_length),
            type: ColumnType(f.type),
            flags: f.flags,
            charsetNumber: f.charsetnr,
            length: UInt(f.length),
            decimals: f.decimals
        )
    }

    private static func text(_ pointer: UnsafeMutablePointer<CChar>?, _ length: UInt32) -> String {
        guard let pointer, length > 0 else { return "" }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: Int(length))
        return String(decoding: bytes, as: UTF8.self)
    }
}
