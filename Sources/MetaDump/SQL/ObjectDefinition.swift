import Crypto
import Foundation
import MetaDB
import Synchronization

/// Server (endpoint and version) → whether it has `information_schema.EVENTS`, as asked this process.
private let eventsTableKnown = Mutex<[String: Bool]>([:])

/// A database object besides its tables — a view, trigger, procedure, function or event — as the server defines it.
///
/// The statement is the server's own `SHOW CREATE …` text with its `DEFINER`
/// kept (a rollback gives back exactly what was there) and references to the
/// object's own database by name removed (so that a copy restored under another
/// name refers to itself). The session settings the body was created under
/// (sql_mode, client character set and collation, an event's time zone) travel
/// with it. The tool's own change-capture triggers (`oms_cc_*`) are never objects
/// of a deployment and are left out when reading.
public struct ObjectDefinition: Sendable, Hashable, Codable {
    /// What kind of object.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case view, trigger, procedure, function, event

        /// The SQL keyword (`VIEW`, `PROCEDURE`…).
        var keyword: String { rawValue.uppercased() }
    }

    /// The kind of object.
    public var kind: Kind
    /// Its name.
    public var name: String
    /// `CREATE [DEFINER=…] … name …` as the server shows it, without its own database's qualifier.
    public var statement: String
    /// The sql_mode it was created under (nil for views, whose text does not depend on it).
    public var sqlMode: String?
    /// `character_set_client` and `collation_connection` it was created under.
    public var characterSetClient: String?
    public var collationConnection: String?
    /// An event's time zone.
    public var timeZone: String?
    /// The definer as `user@host` (the host after the last `@`), when there is one.
    public var definer: String?
    /// The table a trigger belongs to.
    public var table: String?

    /// The prefix of the tool's own change-capture triggers, which are never a deployment's objects.
    public static let captureTriggerPrefix = "oms_cc_"

    /// SHA-256 (hex) of the statement without surrounding white space: what a manifest records and verify checks.
    public var sha256: String { Self.statementHash(statement) }

    /// SHA-256 (hex) of a `CREATE` statement's text without surrounding white space.
    static func statementHash(_ statement: String) -> String {
        let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
        return SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The definer split into user and host at the last `@`.
    public var definerParts: (user: String, host: String)? {
        guard let definer, let at = definer.lastIndex(of: "@") else { return nil }
        return (String(definer[..<at]), String(definer[definer.index(after: at)...]))
    }

    /// Orders objects for creation: procedures and functions (views may call them), views each after the
    /// views it uses, triggers after every table exists, events last.
    public static func creationOrder(_ objects: [ObjectDefinition]) -> [ObjectDefinition] {
        let routines = objects.filter { $0.kind == .procedure || $0.kind == .function }
        let views = ViewDefinition.dependencyOrder(
            objects.filter { $0.kind == .view }.map {
                ViewDefinition(name: $0.name, statement: $0.statement, definer: $0.definer)
            })
        let byName = Dictionary(
            objects.filter { $0.kind == .view }.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return routines + views.compactMap { byName[$0.name] } + objects.filter { $0.kind == .trigger }
            + objects.filter { $0.kind == .event }
    }

    // MARK: - Reading from a server

    /// The object's kind and name, `view v_x`: unique within a database.
    var key: String { kind.rawValue + " " + name }

    /// Reads every view, trigger (but the tool's own `oms_cc_*`), procedure, function and event of `database`.
    ///
    /// A server without `information_schema.EVENTS` (the OceanBase kernel) has no events.
    static func all(_ connection: Connection, in database: String) throws -> [ObjectDefinition] {
        try all(connection, in: [database])[database] ?? []
    }

    /// Reads the objects of each of `databases` on one connection: one `information_schema` query per
    /// kind for all of them (each is tens to hundreds of milliseconds on the OceanBase kernel), then
    /// one `SHOW CREATE` per object. Every database of `databases` has an entry, empty when it has none.
    ///
    /// `kinds` limits the reads to those kinds (procedures and functions are one read).
    package static func all(
        _ connection: Connection, in databases: [String], kinds: Set<Kind> = Set(Kind.allCases)
    ) throws -> [String: [ObjectDefinition]] {
        var found = ObjectsByDatabase(databases)
        guard !databases.isEmpty else { return found.objects }
        let quoted = databases.map(SQL.quoteString).joined(separator: ", ")
        // The OceanBase kernel stores names in lower case and so names this database in its views' text.
        let foldingCase = connection.isOceanBase
        for view in try !kinds.contains(.view)
            ? []
            : connection.strings(
                """
                SELECT TABLE_SCHEMA, TABLE_NAME, DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA IN (\(quoted)) \
                ORDER BY TABLE_SCHEMA, TABLE_NAME
                """)
        {
            try found.add(view[0]) { database in
                guard let name = view[1] else { return nil }
                let row = try show(connection, "VIEW", database, name)
                let text = row[safe: 1].map { $0.map { requotingViewName($0, name: name) } }
                return try make(
                    .view, name: name, text: text, database: database, sqlMode: nil,
                    characterSet: row[safe: 2], collation: row[safe: 3], timeZone: nil, definer: view[2], table: nil,
                    foldingCase: foldingCase)
            }
        }
        for trigger in try !kinds.contains(.trigger)
            ? []
            : connection.strings(
                """
                SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_TABLE, DEFINER FROM information_schema.TRIGGERS \
                WHERE TRIGGER_SCHEMA IN (\(quoted)) ORDER BY TRIGGER_SCHEMA, EVENT_OBJECT_TABLE, ACTION_ORDER, TRIGGER_NAME
                """)
        {
            try found.add(trigger[0]) { database in
                guard let name = trigger[1], !name.hasPrefix(captureTriggerPrefix) else { return nil }
                let row = try show(connection, "TRIGGER", database, name)
                return try make(
                    .trigger, name: name, text: row[safe: 2], database: database, sqlMode: row[safe: 1],
                    characterSet: row[safe: 3], collation: row[safe: 4], timeZone: nil, definer: trigger[3],
                    table: trigger[2], foldingCase: foldingCase)
            }
        }
        for routine in try kinds.isDisjoint(with: [.procedure, .function])
            ? []
            : connection.strings(
                """
                SELECT ROUTINE_SCHEMA, ROUTINE_TYPE, ROUTINE_NAME, DEFINER FROM information_schema.ROUTINES \
                WHERE ROUTINE_SCHEMA IN (\(quoted)) ORDER BY ROUTINE_SCHEMA, ROUTINE_TYPE DESC, ROUTINE_NAME
                """)
        {
            try found.add(routine[0]) { database in
                guard let type = routine[1], let name = routine[2], let kind = Kind(rawValue: type.lowercased()) else {
                    return nil
                }
                let row = try show(connection, kind.keyword, database, name)
                return try make(
                    kind, name: name, text: row[safe: 2], database: database, sqlMode: row[safe: 1],
                    characterSet: row[safe: 3], collation: row[safe: 4], timeZone: nil, definer: routine[3],
                    table: nil, foldingCase: foldingCase)
            }
        }
        if kinds.contains(.event), try hasEventsTable(connection) {
            for event in try connection.strings(
                """
                SELECT EVENT_SCHEMA, EVENT_NAME, DEFINER FROM information_schema.EVENTS WHERE EVENT_SCHEMA IN (\(quoted)) \
                ORDER BY EVENT_SCHEMA, EVENT_NAME
                """)
            {
                try found.add(event[0]) { database in
                    guard let name = event[1] else { return nil }
                    let row = try show(connection, "EVENT", database, name)
                    return try make(
                        .event, name: name, text: row[safe: 3], database: database, sqlMode: row[safe: 1],
                        characterSet: row[safe: 4], collation: row[safe: 5], timeZone: row[safe: 2],
                        definer: event[2], table: nil, foldingCase: foldingCase)
                }
            }
        }
        return found.objects
    }

    /// Whether the server has `information_schema.EVENTS` (the OceanBase kernel has not: error 1109).
    ///
    /// Asked once per server endpoint and version in a process: information_schema's own tables do
    /// not change while the server runs that version (the OceanBase kernel takes tens of ms to answer).
    package static func hasEventsTable(_ connection: Connection) throws -> Bool {
        let server = connection.options.endpoint + " " + connection.serverVersion
        if let known = eventsTableKnown.withLock({ $0[server] }) { return known }
        let found = try !connection.strings(
            "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = 'EVENTS'"
        ).isEmpty
        eventsTableKnown.withLock { $0[server] = found }
        return found
    }

    private static func show(_ connection: Connection, _ keyword: String, _ database: String, _ name: String) throws
        -> [String?]
    {
        try withContext("Reading the definition of \(keyword.lowercased()) `\(database)`.`\(name)`", database: database)
        {
            try connection.strings("SHOW CREATE \(keyword) \(SQL.qualified(database, name))").first ?? []
        }
    }

    private static func make(
        _ kind: Kind, name: String, text: String??, database: String, sqlMode: String??, characterSet: String??,
        collation: String??, timeZone: String??, definer: String?, table: String?, foldingCase: Bool
    ) throws -> ObjectDefinition {
        guard let text = text ?? nil, !text.isEmpty else {
            throw MetaDumpError(
                .database, action: "Reading the definition of \(kind.rawValue) `\(database)`.`\(name)`",
                reason: "the server shows no definition (the account may lack the privilege to see it)",
                database: database, table: name,
                remedy: "Grant the metadata user SELECT on mysql.proc or SHOW_ROUTINE (or use the object's definer).")
        }
        return ObjectDefinition(
            kind: kind, name: name,
            statement: canonicalDefinerClause(
                ViewDefinition.removeQualifier(database, from: text, foldingCase: foldingCase)),
            sqlMode: (sqlMode ?? nil).map(Self.modeList), characterSetClient: (characterSet ?? nil).map(Self.word),
            collationConnection: (collation ?? nil).map(Self.word).flatMap(Self.collationName),
            timeZone: timeZone ?? nil, definer: definer.map(Self.plainDefiner), table: table)
    }

    /// A sql_mode as only mode names and commas can be: nothing else reaches a file or statement.
    static func modeList(_ mode: String) -> String {
        mode.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ",") }
    }

    /// A character set or collation name: letters, digits and `_` only.
    static func word(_ text: String) -> String {
        text.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}

extension Array {
    /// The element at `index`, or nil past the end.
    package subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
