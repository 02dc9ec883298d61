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
        let tokens = self.tokens
        func describe() -> String {
            tokens.prefix(6).map { token -> String in
                switch token {
                case .word(let upper, _): return upper
                case .identifier(let name): return SQLComment.identifier(name)
                case .punctuation(let byte): return String(UnicodeScalar(byte))
                }
            }.joined(separator: " ")
        }
        let unknown = StatementShape.unknown(describe())
        guard case .word(let first, _)? = tokens.first else { return unknown }
        // Only these two are long by nature; their shape is told by their first tokens (and the VALUES flags).
        if tokensOverflowed && first != "INSERT" && first != "CREATE" { return unknown }
        var rest = tokens.dropFirst()

        /// An unqualified name at the head of `rest` (not followed by `.`), consumed.
        func name() -> String? {
            guard let token = rest.first else { return nil }
            let result: String
            switch token {
            case .identifier(let s): result = s
            case .word(_, let s): result = s
            case .punctuation: return nil
            }
            rest = rest.dropFirst()
            if rest.first == .punctuation(UInt8(ascii: ".")) { return nil }
            return result
        }
        func take(_ words: String...) -> Bool {
            for word in words {
                guard case .word(word, _)? = rest.first else { return false }
                rest = rest.dropFirst()
            }
            return true
        }

        switch first {
        case "SET":
            let banned: Set<String> = ["GLOBAL", "PERSIST", "PERSIST_ONLY", "PASSWORD", "ROLE", "STATEMENT", "FOR"]
            for token in rest {
                switch token {
                case .word(let w, _) where banned.contains(w): return unknown
                case .punctuation(let p) where p == UInt8(ascii: "("): return unknown
                default: continue
                }
            }
            return tokensOverflowed ? unknown : .sessionSet
        case "INSERT":
            guard take("INTO"), let table = name(), sawValues, !valuesOdd else { return unknown }
            return .insertRows(table)
        case "DROP":
            if take("TABLE", "IF", "EXISTS"), let table = name(), rest.isEmpty { return .dropTable(table) }
            rest = tokens.dropFirst()
            if take("VIEW", "IF", "EXISTS"), let view = name(), rest.isEmpty { return .dropView(view) }
            rest = tokens.dropFirst()
            for kind in ["PROCEDURE", "FUNCTION", "EVENT", "TRIGGER"] where take(kind) {
                if take("IF", "EXISTS"), let routine = name(), rest.isEmpty { return .dropRoutine(routine) }
                return unknown
            }
            return unknown
        case "LOCK":
            guard take("TABLES"), !tokensOverflowed else { return unknown }
            for token in rest {
                switch token {
                case .identifier: continue
                case .word(let w, _) where ["WRITE", "READ", "LOCAL", "LOW_PRIORITY"].contains(w): continue
                case .punctuation(let p) where p == UInt8(ascii: ","): continue
                default: return unknown
                }
            }
            return .lockTables
        case "UNLOCK":
            return take("TABLES") && rest.isEmpty ? .lockTables : unknown
        case "ALTER":
            if take("TABLE"), let table = name(), rest.count == 2,
                take("DISABLE", "KEYS") || take("ENABLE", "KEYS")
            {
                return .alterTableKeys(table)
            }
            rest = tokens.dropFirst()
            if take("DATABASE"), name() != nil, !tokensOverflowed {
                let allowed: Set<String> = ["CHARACTER", "SET", "COLLATE", "DEFAULT", "CHARSET"]
                let onlyCharset = rest.allSatisfy { token in
                    switch token {
                    case .word(let w, let original):
                        allowed.contains(w) || original.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
                    case .punctuation(let p): p == UInt8(ascii: "=")
                    case .identifier: false
                    }
                }
                if onlyCharset { return .alterDatabaseCharset }
            }
            return unknown
        case "CREATE":
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
            while let token = rest.first, isOption(token) { rest = rest.dropFirst() }
            guard case .word(let object, _)? = rest.first else { return unknown }
            rest = rest.dropFirst()
            switch object {
            case "TABLE":
                _ = take("IF", "NOT", "EXISTS")
                guard let table = name(), rest.first == .punctuation(UInt8(ascii: "(")) else { return unknown }
                return .createTable(table)
            case "VIEW":
                guard let view = name() else { return unknown }
                return .createView(view)
            case "TRIGGER":
                guard let trigger = name(), take("BEFORE") || take("AFTER"),
                    take("INSERT") || take("UPDATE") || take("DELETE"), take("ON"), name() != nil
                else { return unknown }
                return .createTrigger(trigger)
            case "PROCEDURE", "FUNCTION", "EVENT":
                guard let routine = name(), !tokens.contains(where: Self.isWord("SONAME")) else { return unknown }
                return .createRoutine(routine)
            default:
                return unknown
            }
        default:
            return unknown
        }
    }

    private static func isWord(_ word: String) -> (Token) -> Bool {
        { token in
            if case .word(let w, _) = token { return w == word }
            return false
        }
    }
}
