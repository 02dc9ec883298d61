/// The shape of one statement of a dump file: one of the few a dumper writes, or unknown.
///
/// Verify and restore work from an allow-list of shapes: a file holding any
/// other statement (`DROP DATABASE`, `GRANT`, `SET GLOBAL`, an `INSERT` into
/// another database, a function call among the row values…) is not a dump this
/// tool or mysqldump wrote, and nothing of it is run. Every name in an allowed
/// shape is unqualified, so a statement cannot reach another database.
enum StatementShape: Sendable, Equatable {
    /// `SET` of session or user variables to literals or variables (no `GLOBAL`, no subquery, no `PASSWORD`).
    case sessionSet
    /// `INSERT INTO t (…) VALUES (…),(…)` with literals only.
    case insertRows(String)
    /// `CREATE TABLE t (…)`.
    case createTable(String)
    /// `DROP TABLE IF EXISTS t`.
    case dropTable(String)
    /// `DROP VIEW IF EXISTS v`.
    case dropView(String)
    /// `CREATE [ALGORITHM=…] [DEFINER=…] [SQL SECURITY …] VIEW v …`.
    case createView(String)
    /// `CREATE [DEFINER=…] TRIGGER tr BEFORE|AFTER … ON t …`.
    case createTrigger(String)
    /// mysqldump only: `LOCK TABLES t WRITE` and `UNLOCK TABLES`.
    case lockTables
    /// mysqldump only: `ALTER TABLE t DISABLE KEYS` / `ENABLE KEYS`.
    case alterTableKeys(String)
    /// `CREATE [DEFINER=…] PROCEDURE|FUNCTION|EVENT name …` (not a `SONAME` library function).
    case createRoutine(String)
    /// `DROP PROCEDURE|FUNCTION|EVENT|TRIGGER IF EXISTS name`.
    case dropRoutine(String)
    /// mysqldump only: `ALTER DATABASE d CHARACTER SET … COLLATE …`, written around routines.
    case alterDatabaseCharset
    /// Anything else; the text is a short description of its first words.
    case unknown(String)

    /// Whether the native dumper writes statements of this shape.
    var isNative: Bool {
        switch self {
        case .sessionSet, .insertRows, .createTable, .dropTable, .dropView, .createView, .createTrigger,
            .createRoutine, .dropRoutine:
            true
        default: false
        }
    }

    /// Whether mysqldump (or mariadb-dump) writes statements of this shape for one database.
    var isMysqldump: Bool {
        if case .unknown = self { return false }
        return true
    }

    /// Whether `dumper` writes statements of this shape.
    func isWritten(by dumper: BackupDumper) -> Bool {
        switch dumper {
        case .native: isNative
        case .mysqldump: isMysqldump
        }
    }
}

extension SQLStatementScanner {
    /// The shape of the statement just read, from its tokens and what the scanner saw after `VALUES`.
    func shape() -> StatementShape {
        let unknown = StatementShape.unknown(describe())
        guard case .word(let first, _)? = tokens.first else { return unknown }
        // Only these two are long by nature; their shape is told by their first tokens (and the VALUES flags).
        if tokensOverflowed && first != "INSERT" && first != "CREATE" { return unknown }
        var cursor = ShapeCursor(tokens)
        let shape: StatementShape?
        switch first {
        case "SET": shape = setShape(cursor.rest)
        case "INSERT":
            guard cursor.take("INTO"), let table = cursor.name(), sawValues, !valuesOdd else { return unknown }
            shape = .insertRows(table)
        case "DROP": shape = Self.dropShape(tokens)
        case "LOCK": shape = lockShape(&cursor)
        case "UNLOCK": shape = cursor.take("TABLES") && cursor.rest.isEmpty ? .lockTables : nil
        case "ALTER": shape = alterShape(tokens)
        case "CREATE": shape = Self.createShape(&cursor, tokens: tokens)
        default: shape = nil
        }
        return shape ?? unknown
    }

    /// The first words of the statement, for an unknown shape's text.
    private func describe() -> String {
        tokens.prefix(6).map { token -> String in
            switch token {
            case .word(let upper, _): return upper
            case .identifier(let name): return SQLComment.identifier(name)
            case .punctuation(let byte): return String(UnicodeScalar(byte))
            }
        }.joined(separator: " ")
    }

    /// `SET` of session or user variables: no global, persisted or password setting, no parenthesis.
    private func setShape(_ rest: ArraySlice<Token>) -> StatementShape? {
        let banned: Set<String> = ["GLOBAL", "PERSIST", "PERSIST_ONLY", "PASSWORD", "ROLE", "STATEMENT", "FOR"]
        for token in rest {
            switch token {
            case .word(let w, _) where banned.contains(w): return nil
            case .punctuation(let p) where p == UInt8(ascii: "("): return nil
            default: continue
            }
        }
        return tokensOverflowed ? nil : .sessionSet
    }

    /// `DROP TABLE|VIEW|PROCEDURE|FUNCTION|EVENT|TRIGGER IF EXISTS name`.
    private static func dropShape(_ tokens: [Token]) -> StatementShape? {
        var cursor = ShapeCursor(tokens)
        if cursor.take("TABLE", "IF", "EXISTS"), let table = cursor.name(), cursor.rest.isEmpty {
            return .dropTable(table)
        }
        cursor = ShapeCursor(tokens)
        if cursor.take("VIEW", "IF", "EXISTS"), let view = cursor.name(), cursor.rest.isEmpty { return .dropView(view) }
        cursor = ShapeCursor(tokens)
        for kind in ["PROCEDURE", "FUNCTION", "EVENT", "TRIGGER"] where cursor.take(kind) {
            if cursor.take("IF", "EXISTS"), let routine = cursor.name(), cursor.rest.isEmpty {
                return .dropRoutine(routine)
            }
            return nil
        }
        return nil
    }

    /// mysqldump's `LOCK TABLES t WRITE, …`.
    private func lockShape(_ cursor: inout ShapeCursor) -> StatementShape? {
        guard cursor.take("TABLES"), !tokensOverflowed else { return nil }
        for token in cursor.rest {
            switch token {
            case .identifier: continue
            case .word(let w, _) where ["WRITE", "READ", "LOCAL", "LOW_PRIORITY"].contains(w): continue
            case .punctuation(let p) where p == UInt8(ascii: ","): continue
            default: return nil
            }
        }
        return .lockTables
    }

    /// mysqldump's `ALTER TABLE t DISABLE|ENABLE KEYS` and `ALTER DATABASE d CHARACTER SET … COLLATE …`.
    private func alterShape(_ tokens: [Token]) -> StatementShape? {
        var cursor = ShapeCursor(tokens)
        if cursor.take("TABLE"), let table = cursor.name(), cursor.rest.count == 2,
            cursor.take("DISABLE", "KEYS") || cursor.take("ENABLE", "KEYS")
        {
            return .alterTableKeys(table)
        }
        cursor = ShapeCursor(tokens)
        guard cursor.take("DATABASE"), cursor.name() != nil, !tokensOverflowed else { return nil }
        let allowed: Set<String> = ["CHARACTER", "SET", "COLLATE", "DEFAULT", "CHARSET"]
        let onlyCharset = cursor.rest.allSatisfy { token in
            switch token {
            case .word(let w, let original):
                allowed.contains(w) || original.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            case .punctuation(let p): p == UInt8(ascii: "=")
            case .identifier: false
            }
        }
        return onlyCharset ? .alterDatabaseCharset : nil
    }

    /// `CREATE [options] TABLE|VIEW|TRIGGER|PROCEDURE|FUNCTION|EVENT name …`.
    private static func createShape(_ cursor: inout ShapeCursor, tokens: [Token]) -> StatementShape? {
        // Options before the object keyword: OR REPLACE, ALGORITHM=…, DEFINER=`u`@`h`, SQL SECURITY ….
        let options: Set<String> = [
            "OR", "REPLACE", "ALGORITHM", "UNDEFINED", "MERGE", "TEMPTABLE", "SQL",
            "SECURITY", "DEFINER", "INVOKER", "CURRENT_USER",
        ]
        func isOption(_ token: Token) -> Bool {
            switch token {
            case .word(let w, _): options.contains(w)
            case .identifier: true
            case .punctuation(let p): "=@()".utf8.contains(p)
            }
        }
        while let token = cursor.rest.first, isOption(token) { cursor.rest = cursor.rest.dropFirst() }
        guard case .word(let object, _)? = cursor.rest.first else { return nil }
        cursor.rest = cursor.rest.dropFirst()
        switch object {
        case "TABLE":
            _ = cursor.take("IF", "NOT", "EXISTS")
            guard let table = cursor.name(), cursor.rest.first == .punctuation(UInt8(ascii: "(")) else { return nil }
            return .createTable(table)
        case "VIEW":
            return cursor.name().map(StatementShape.createView)
        case "TRIGGER":
            guard let trigger = cursor.name(), cursor.take("BEFORE") || cursor.take("AFTER"),
                cursor.take("INSERT") || cursor.take("UPDATE") || cursor.take("DELETE"), cursor.take("ON"),
                cursor.name() != nil
            else { return nil }
            return .createTrigger(trigger)
        case "PROCEDURE", "FUNCTION", "EVENT":
            guard let routine = cursor.name(), !tokens.contains(where: Self.isWord("SONAME")) else { return nil }
            return .createRoutine(routine)
        default:
            return nil
        }
    }

    private static func isWord(_ word: String) -> (Token) -> Bool {
        { token in
            if case .word(let w, _) = token { return w == word }
            return false
        }
    }
}

/// The tokens after a statement's first word, read from the front while its shape is told.
struct ShapeCursor {
    /// The tokens not read yet.
    var rest: ArraySlice<SQLStatementScanner.Token>

    /// Starts after the first token (the statement's keyword).
    init(_ tokens: [SQLStatementScanner.Token]) {
        rest = tokens.dropFirst()
    }

    /// Starts at `rest`.
    init(rest: ArraySlice<SQLStatementScanner.Token>) {
        self.rest = rest
    }

    /// An unqualified name at the head of `rest` (not followed by `.`), consumed.
    mutating func name() -> String? {
        guard let (name, qualified) = qualifiedName(), !qualified else { return nil }
        return name
    }

    /// After any of `keywords`, a name, qualified (`db`.`t`) or not, consumed: its last part and whether it
    /// had a qualifier (a qualifier followed by no name gives the qualifier).
    mutating func qualifiedName(skipping keywords: Set<String> = []) -> (name: String, qualified: Bool)? {
        while case .word(let w, _)? = rest.first, keywords.contains(w) { rest = rest.dropFirst() }
        guard let first = rest.first.flatMap(Self.text) else { return nil }
        rest = rest.dropFirst()
        guard rest.first == .punctuation(UInt8(ascii: ".")) else { return (first, false) }
        rest = rest.dropFirst()
        guard let second = rest.first.flatMap(Self.text) else { return (first, true) }
        rest = rest.dropFirst()
        return (second, true)
    }

    /// A name token's text as written; nil for punctuation.
    private static func text(_ token: SQLStatementScanner.Token) -> String? {
        switch token {
        case .identifier(let s), .word(_, original: let s): s
        case .punctuation: nil
        }
    }

    /// Consumes `words` when `rest` starts with them; whether it did (a partial match consumes what matched).
    mutating func take(_ words: String...) -> Bool {
        for word in words {
            guard case .word(word, _)? = rest.first else { return false }
            rest = rest.dropFirst()
        }
        return true
    }
}
