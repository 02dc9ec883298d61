import CMariaDB

/// The wire type of a result column (`enum_field_types` of the MySQL protocol).
///
/// Servers report some SQL types under another wire type: `ENUM` and `SET`
/// columns arrive as ``string`` with ``Column/isEnum`` / ``Column/isSet``;
/// MariaDB sends `JSON` as a ``blob`` (it is `LONGTEXT`), MySQL as ``json``;
/// `CHAR`/`BINARY` arrive as ``string``, `VARCHAR`/`VARBINARY` as ``varString``,
/// `TEXT`/`BLOB` of any size as ``blob`` (tell them apart with ``Column/isBinary``).
public struct ColumnType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The `enum_field_types` value.
    public let rawValue: UInt32

    /// Wraps an `enum_field_types` value.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    init(_ type: enum_field_types) {
        self.rawValue = type.rawValue
    }

    public static let decimal = ColumnType(MYSQL_TYPE_DECIMAL)
    public static let tiny = ColumnType(MYSQL_TYPE_TINY)
    public static let short = ColumnType(MYSQL_TYPE_SHORT)
    public static let long = ColumnType(MYSQL_TYPE_LONG)
    public static let float = ColumnType(MYSQL_TYPE_FLOAT)
    public static let double = ColumnType(MYSQL_TYPE_DOUBLE)
    public static let null = ColumnType(MYSQL_TYPE_NULL)
    public static let timestamp = ColumnType(MYSQL_TYPE_TIMESTAMP)
    public static let longlong = ColumnType(MYSQL_TYPE_LONGLONG)
    public static let int24 = ColumnType(MYSQL_TYPE_INT24)
    public static let date = ColumnType(MYSQL_TYPE_DATE)
    public static let time = ColumnType(MYSQL_TYPE_TIME)
    public static let datetime = ColumnType(MYSQL_TYPE_DATETIME)
    public static let year = ColumnType(MYSQL_TYPE_YEAR)
    public static let newdate = ColumnType(MYSQL_TYPE_NEWDATE)
    public static let varchar = ColumnType(MYSQL_TYPE_VARCHAR)
    public static let bit = ColumnType(MYSQL_TYPE_BIT)
    public static let json = ColumnType(MYSQL_TYPE_JSON)
    public static let newdecimal = ColumnType(MYSQL_TYPE_NEWDECIMAL)
    public static let enumType = ColumnType(MYSQL_TYPE_ENUM)
    public static let set = ColumnType(MYSQL_TYPE_SET)
    public static let tinyBlob = ColumnType(MYSQL_TYPE_TINY_BLOB)
    public static let mediumBlob = ColumnType(MYSQL_TYPE_MEDIUM_BLOB)
    public static let longBlob = ColumnType(MYSQL_TYPE_LONG_BLOB)
    public static let blob = ColumnType(MYSQL_TYPE_BLOB)
    public static let varString = ColumnType(MYSQL_TYPE_VAR_STRING)
    public static let string = ColumnType(MYSQL_TYPE_STRING)
    public static let geometry = ColumnType(MYSQL_TYPE_GEOMETRY)

    /// Integer, fixed- or floating-point types, and `YEAR` (not `BIT`, whose text form is raw bytes).
    public var isNumeric: Bool {
        switch self {
        case .tiny, .short, .long, .longlong, .int24, .float, .double, .decimal, .newdecimal, .year: true
        default: false
        }
    }

    /// Integer types (`TINYINT` … `BIGINT`, `MEDIUMINT`, `YEAR`).
    public var isInteger: Bool {
        switch self {
        case .tiny, .short, .long, .longlong, .int24, .year: true
        default: false
        }
    }

    /// Character and byte-string types: `CHAR`, `VARCHAR`, `TEXT`, `BINARY`, `VARBINARY`, `BLOB`, `ENUM`, `SET`, `JSON`.
    public var isStringOrBlob: Bool {
        switch self {
        case .varchar, .varString, .string, .tinyBlob, .mediumBlob, .longBlob, .blob, .enumType, .set, .json: true
        default: false
        }
    }

    /// The protocol's name for the type, such as `LONGLONG` or `VAR_STRING`.
    public var description: String {
        switch self {
        case .decimal: "DECIMAL"
        case .tiny: "TINY"
        case .short: "SHORT"
        case .long: "LONG"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .null: "NULL"
        case .timestamp: "TIMESTAMP"
        case .longlong: "LONGLONG"
        case .int24: "INT24"
        case .date: "DATE"
        case .time: "TIME"
        case .datetime: "DATETIME"
        case .year: "YEAR"
        case .newdate: "NEWDATE"
        case .varchar: "VARCHAR"
        case .bit: "BIT"
        case .json: "JSON"
        case .newdecimal: "NEWDECIMAL"
        case .enumType: "ENUM"
        case .set: "SET"
        case .tinyBlob: "TINY_BLOB"
        case .mediumBlob: "MEDIUM_BLOB"
        case .longBlob: "LONG_BLOB"
        case .blob: "BLOB"
        case .varString: "VAR_STRING"
        case .string: "STRING"
        case .geometry: "GEOMETRY"
        default: "TYPE_\(rawValue)"
        }
    }
}
