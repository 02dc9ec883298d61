/// The objects read for several databases at once, filed under the database each was asked as.
///
/// The server may name a database in another case than it was asked (the OceanBase kernel folds names
/// to lower case): such a name is filed under the asked one. A name that matches none is an error.
struct ObjectsByDatabase {
    /// Every database asked for, with its objects so far (empty when it has none).
    private(set) var objects: [String: [ObjectDefinition]]
    private let folded: [String: String]
    private let asked: [String]

    init(_ databases: [String]) {
        asked = databases
        objects = Dictionary(uniqueKeysWithValues: databases.map { ($0, [ObjectDefinition]()) })
        folded = Dictionary(databases.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Files what `object` makes for the asked database the server named `schema` (nothing when it makes nil).
    mutating func add(_ schema: String?, _ object: (_ database: String) throws -> ObjectDefinition?) throws {
        guard let schema else { return }
        let database = objects[schema] != nil ? schema : folded[schema.lowercased()] ?? schema
        guard objects[database] != nil else {
            throw MetaDumpError(
                .database, action: "Reading the objects of \(asked.map { "`\($0)`" }.joined(separator: ", "))",
                reason: "the server named a database `\(schema)` that was not asked for", database: schema)
        }
        guard let made = try object(database) else { return }
        objects[database]?.append(made)
    }
}
