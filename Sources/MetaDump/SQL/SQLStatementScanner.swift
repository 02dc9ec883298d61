/// What a statement in a dump file does, from its first words.
enum StatementKind: Sendable, Equatable {
    /// `INSERT` or `REPLACE` into the table.
    case insert(table: String)
    /// `CREATE TABLE`.
    case createTable(String)
    /// `CREATE … VIEW`.
    case createView(String)
    /// `DROP TABLE`.
    case dropTable(String)
    /// `DROP VIEW`.
    case dropView(String)
    /// `SET …` (session settings in a dump's header and footer).
    case set
    /// `USE db`.
    case use(String)
    /// Anything else, by its first keyword in upper case (`LOCK`, `ALTER`, `CREATE DATABASE` is `CREATE`).
    case other(String)
}

/// One statement found by ``SQLStatementScanner``.
struct ScannedStatement: Sendable {
    /// Byte offset of its first byte in the input.
    var offset: Int64
    /// Its length in bytes, without the delimiter.
    var length: Int
    /// What it does.
    var kind: StatementKind
    /// The number of top-level row tuples after `VALUES` (0 for other statements).
    var tuples: Int
    /// Its bytes, when the scanner collects them; otherwise empty.
    var text: [UInt8]
    /// `false` for a statement cut off by the end of the input (no delimiter).
    var terminated: Bool
    /// Which of the shapes a dump file holds it has, or `.unknown` (see ``StatementShape``).
    var shape: StatementShape = .unknown("")
}

/// Splits SQL text into statements as the `mysql` client does, streaming, and counts INSERT tuples.
///
/// Understands `'…'` and `"…"` strings with backslash escapes and doubled
/// quotes, `` `…` `` identifiers, `-- `, `#` and `/* */` comments, executable
/// comments (`/*!40101 … */`, `/*M!100100 … */`, whose content is code), and the
/// client's `DELIMITER` command. Memory use is bounded by the longest statement
/// when collecting text, and constant otherwise.
struct SQLStatementScanner {
    private enum State {
        case code, singleQuote, singleQuoteEscape, singleQuoteEnd
        case doubleQuote, doubleQuoteEscape, doubleQuoteEnd
        case backtick, backtickEnd
        case dash1, dash2, slash, commentOpen, commentOpenM, execVersion
        case blockComment, blockStar, lineComment, execStar, delimiterCommand
    }

    enum Token: Equatable {
        /// A bare word: upper-cased for keyword tests, and as written (for names).
        case word(String, original: String)
        case identifier(String)
        case punctuation(UInt8)
    }

    private let collect: Bool
    private var state = State.code
    private var position: Int64 = 0
    private var delimiter: [UInt8] = [UInt8(ascii: ";")]
    private var delimiterMatch = 0

    // The statement being read.
    private var start: Int64?
    private var tentativeStart: Int64?
    private var depth = 0
    private var tuples = 0
    private var afterValues = false
    private(set) var sawValues = false
    private var inExecComment = false
    private var execVersion = 0
    private(set) var tokens: [Token] = []
    /// More tokens than ``maxTokens`` were seen: the statement's shape cannot be told.
    private(set) var tokensOverflowed = false
    /// An INSERT whose text after `VALUES` is more than rows of literals (a clause, a nested parenthesis).
    private(set) var valuesOdd = false
    private var word: [UInt8] = []
    private var identifier: [UInt8] = []
    private var delimiterLine: [UInt8] = []

    // Collected bytes: `carry` holds input from `carryBase` up to the current chunk.
    private var carry: [UInt8] = []
    private var carryBase: Int64 = 0

    private static let maxTokens = 48
    private static let maxWord = 64
    /// Identifiers are at most 64 characters of up to 4 bytes each; longer ones are kept whole up to this bound.
    private static let maxIdentifier = 1024

    /// Creates a scanner; with `collectText` each statement carries its bytes.
    init(collectText: Bool) {
        collect = collectText
    }

    /// Whether the input so far ended cleanly (outside any statement, quote or comment).
    var describeOpenState: String? {
        switch state {
        case .singleQuote, .singleQuoteEscape: return "inside a quoted string"
        case .doubleQuote, .doubleQuoteEscape: return "inside a double-quoted string"
        case .backtick: return "inside a quoted identifier"
        case .blockComment, .blockStar, .commentOpen, .commentOpenM, .execVersion: return "inside a comment"
        default: return start != nil ? "in the middle of a statement" : nil
        }
    }

    /// Scans the next piece of input, calling `emit` for each statement completed in it.
    ///
    /// One state's scanner per case (one dispatch per step: this loop is the restore's and the verifier's
    /// hot path); each returns the index of the next byte to look at: the same index to look at the byte
    /// again in the state it switched to.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ emit: (ScannedStatement) throws -> Void) rethrows {
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self), chunk.count > 0 else { return }
        let chunkBase = position
        var consumed = 0  // bytes of this chunk already moved to `carry` (collect mode)
        let n = chunk.count
        var i = 0
        while i < n {
            switch state {
            case .code:
                i = try scanCode(base, at: i, count: n, chunkBase: chunkBase, consumed: &consumed, emit)
            case .singleQuote:
                i = skipString(base, at: i, count: n, quote: 0x27, escape: .singleQuoteEscape, end: .singleQuoteEnd)
            case .doubleQuote:
                i = skipString(base, at: i, count: n, quote: 0x22, escape: .doubleQuoteEscape, end: .doubleQuoteEnd)
            case .singleQuoteEscape:
                state = .singleQuote
                i += 1
            case .doubleQuoteEscape:
                state = .doubleQuote
                i += 1
            case .singleQuoteEnd:
                i = afterClosingQuote(base[i], at: i, quote: 0x27, inside: .singleQuote)
            case .doubleQuoteEnd:
                i = afterClosingQuote(base[i], at: i, quote: 0x22, inside: .doubleQuote)
            case .backtick:
                if base[i] == 0x60 {
                    state = .backtickEnd
                } else if identifier.count < Self.maxIdentifier {
                    identifier.append(base[i])
                }
                i += 1
            case .backtickEnd:
                i = afterClosingBacktick(base[i], at: i)
            case .dash1, .dash2, .slash, .commentOpen, .commentOpenM, .execVersion:
                i = scanCommentOpening(base[i], at: i)
            case .blockComment:
                i = skip(base, at: i, count: n, to: 0x2A, then: .blockStar)
            case .lineComment:
                i = skip(base, at: i, count: n, to: 0x0A, then: .code)
            case .blockStar:
                if base[i] == 0x2F {
                    state = .code
                } else if base[i] != 0x2A {
                    state = .blockComment
                }
                i += 1
            case .execStar:
                // `*/` ends an executable comment; any other byte after the `*` is code.
                state = .code
                if base[i] == 0x2F { inExecComment = false }
                i += base[i] == 0x2F ? 1 : 0
            case .delimiterCommand:
                i = scanDelimiterCommand(base[i], at: i, chunkBase: chunkBase, consumed: &consumed)
            }
        }
        position = chunkBase + Int64(n)
        if collect {
            if start == nil && tentativeStart == nil {
                carry.removeAll(keepingCapacity: true)
                carryBase = position
            } else if consumed < n {
                carry.append(contentsOf: UnsafeBufferPointer(start: base + consumed, count: n - consumed))
            }
        }
    }

    // MARK: - States

    /// Code: the bytes of a tuple skipped fast, the delimiter matched, anything else handed to ``handleCode(_:at:)``.
    @inline(__always)
    private mutating func scanCode(
        _ base: UnsafePointer<UInt8>, at i: Int, count n: Int, chunkBase: Int64, consumed: inout Int,
        _ emit: (ScannedStatement) throws -> Void
    ) rethrows -> Int {
        let byte = base[i]
        // Fast path: bytes with no meaning inside a tuple.
        if depth > 0 && afterValues && !inExecComment {
            var j = i
            while j < n {
                let b = base[j]
                if b == 0x27 || b == 0x22 || b == 0x60 || b == 0x28 || b == 0x29 || b == 0x2D || b == 0x2F
                    || b == 0x23 || b == delimiter[0]
                {
                    break
                }
                j += 1
            }
            if j > i { return j }
        }
        if !delimiter.isEmpty && byte == delimiter[delimiterMatch] {
            delimiterMatch += 1
            if delimiterMatch == delimiter.count {
                delimiterMatch = 0
                let end = chunkBase + Int64(i) + 1
                try endStatement(
                    delimiterStart: end - Int64(delimiter.count), end: end,
                    chunk: base, chunkBase: chunkBase, consumed: &consumed, emit)
            }
            return i + 1
        } else if delimiterMatch > 0 {
            delimiterMatch = 0
            return i  // the partial match was ordinary code; look at this byte again
        }
        handleCode(byte, at: chunkBase + Int64(i))
        return i + 1
    }

    /// Inside a string: skips to its next quote or backslash, and switches to `escape` or `end` there.
    @inline(__always)
    private mutating func skipString(
        _ base: UnsafePointer<UInt8>, at i: Int, count n: Int, quote: UInt8, escape: State, end: State
    ) -> Int {
        var j = i
        while j < n && base[j] != quote && base[j] != 0x5C { j += 1 }
        if j < n { state = base[j] == 0x5C ? escape : end }
        return j + 1
    }

    /// After a string's closing quote: a second quote is a doubled one (the string goes on), anything else is code.
    @inline(__always)
    private mutating func afterClosingQuote(_ byte: UInt8, at i: Int, quote: UInt8, inside: State) -> Int {
        guard byte == quote else {
            state = .code
            return i
        }
        state = inside
        return i + 1
    }

    /// After an identifier's closing backtick: a second one is a doubled backtick, anything else ends the name.
    @inline(__always)
    private mutating func afterClosingBacktick(_ byte: UInt8, at i: Int) -> Int {
        guard byte == 0x60 else {
            addToken(.identifier(String(decoding: identifier, as: UTF8.self)))
            state = .code
            return i
        }
        identifier.append(byte)
        state = .backtick
        return i + 1
    }

    /// After `-`, `--`, `/`, `/*`, `/*M` or `/*!`: a comment, an executable comment, or code after all.
    @inline(__always)
    private mutating func scanCommentOpening(_ byte: UInt8, at i: Int) -> Int {
        switch state {
        case .dash1 where byte == 0x2D:
            state = .dash2
        case .dash2 where byte == 0x20 || (byte >= 0x09 && byte <= 0x0D):
            // "-- " starts a comment; the client wants a space, tab or line end after "--", as here.
            tentativeStart = nil
            state = byte == 0x0A ? .code : .lineComment
        case .slash where byte == 0x2A:
            state = .commentOpen
        case .dash1, .dash2, .slash:
            commitTentativeStart()
            state = .code
            return i
        case .commentOpen where byte == 0x4D:
            state = .commentOpenM
        case .commentOpen, .commentOpenM:
            guard byte == 0x21 else {
                dropTentativeStart()
                state = .blockComment
                return i
            }
            execVersion = 0
            state = .execVersion
        default:  // .execVersion
            if byte >= 0x30 && byte <= 0x39 {
                execVersion = execVersion * 10 + Int(byte - 0x30)
            } else if execVersion >= 999_999 {
                // Meant for no server at all (mariadb-dump's sandbox marker): a plain comment.
                dropTentativeStart()
                state = .blockComment
                return i
            } else {
                commitTentativeStart()
                inExecComment = true
                state = .code
                return i
            }
        }
        return i + 1
    }

    /// Inside a comment: skips to the next `byte`, and switches to `next` there.
    @inline(__always)
    private mutating func skip(_ base: UnsafePointer<UInt8>, at i: Int, count n: Int, to byte: UInt8, then next: State)
        -> Int
    {
        var j = i
        while j < n && base[j] != byte { j += 1 }
        if j < n { state = next }
        return j + 1
    }

    /// The rest of a `DELIMITER` line: the new delimiter, taken at the line's end.
    @inline(__always)
    private mutating func scanDelimiterCommand(_ byte: UInt8, at i: Int, chunkBase: Int64, consumed: inout Int) -> Int {
        if byte == 0x0A {
            let text = String(decoding: delimiterLine, as: UTF8.self).trimmingSpaces()
            if !text.isEmpty { delimiter = Array(text.utf8) }
            delimiterLine.removeAll()
            resetStatement()
            dropCarry(upTo: chunkBase + Int64(i) + 1, chunkBase: chunkBase, consumed: &consumed)
            state = .code
        } else {
            delimiterLine.append(byte)
        }
        return i + 1
    }

    /// Ends the input; a statement without a delimiter is emitted with `terminated == false`.
    mutating func finish(_ emit: (ScannedStatement) throws -> Void) rethrows {
        finishWord()
        if state == .backtickEnd {
            addToken(.identifier(String(decoding: identifier, as: UTF8.self)))
            state = .code
        }
        if state == .singleQuoteEnd || state == .doubleQuoteEnd || state == .dash1 || state == .dash2 || state == .slash
        {
            state = .code
        }
        guard let start else { return }
        let text = collect ? Array(carry[Int(start - carryBase)...]) : []
        try emit(
            ScannedStatement(
                offset: start, length: Int(position - start), kind: classify(), tuples: tuples,
                text: text, terminated: false, shape: shape()))
        resetStatement()
    }

    // MARK: - Code state

    private mutating func handleCode(_ byte: UInt8, at offset: Int64) {
        let isWordByte =
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x5F || byte == 0x24 || byte >= 0x80
        if isWordByte {
            if start == nil { start = offset }
            if word.count < Self.maxWord { word.append(byte) }
            return
        }
        finishWord()
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B:
            return
        case 0x27:
            if start == nil { start = offset }
            if depth == 0 && afterValues { valuesOdd = true }
            state = .singleQuote
        case 0x22:
            if start == nil { start = offset }
            if depth == 0 && afterValues { valuesOdd = true }
            state = .doubleQuote
        case 0x60:
            if start == nil { start = offset }
            if depth == 0 && afterValues { valuesOdd = true }
            identifier.removeAll(keepingCapacity: true)
            state = .backtick
        case 0x23:
            state = .lineComment
        case 0x2D:
            if start == nil { tentativeStart = offset }
            state = .dash1
        case 0x2F:
            if start == nil { tentativeStart = offset }
            state = .slash
        case 0x2A where inExecComment:
            state = .execStar
        case 0x28:
            if start == nil { start = offset }
            if depth == 0 && afterValues { tuples += 1 }
            if depth > 0 && afterValues { valuesOdd = true }
            depth += 1
            addToken(.punctuation(byte))
        case 0x29:
            if depth > 0 { depth -= 1 }
            addToken(.punctuation(byte))
        default:
            if start == nil { start = offset }
            if depth == 0 && afterValues && byte != 0x2C { valuesOdd = true }
            addToken(.punctuation(byte))
        }
    }

    /// A `-` or `/` that might have opened a comment turned out to be code: the statement starts there.
    private mutating func commitTentativeStart() {
        if start == nil { start = tentativeStart }
        tentativeStart = nil
    }

    /// A `-` or `/` opened a comment after all.
    private mutating func dropTentativeStart() {
        tentativeStart = nil
    }

    private mutating func finishWord() {
        guard !word.isEmpty else { return }
        let original = String(decoding: word, as: UTF8.self)
        let text = original.uppercased()
        word.removeAll(keepingCapacity: true)
        if tokens.isEmpty && text == "DELIMITER" && !inExecComment {
            state = .delimiterCommand
            delimiterLine.removeAll()
            return
        }
        if depth == 0 {
            if !sawValues && (text == "VALUES" || text == "VALUE"), isInsert {
                afterValues = true
                sawValues = true
                return addToken(.word(text, original: original))
            } else if afterValues && text == "ON" {
                afterValues = false  // ON DUPLICATE KEY UPDATE … VALUES(x): no more tuples
            }
            if sawValues { valuesOdd = true }
        }
        addToken(.word(text, original: original))
    }

    private var isInsert: Bool {
        guard case .word(let first, _)? = tokens.first else { return false }
        return first == "INSERT" || first == "REPLACE"
    }

    private mutating func addToken(_ token: Token) {
        guard !(depth > 0 && afterValues) else { return }
        if tokens.count < Self.maxTokens { tokens.append(token) } else { tokensOverflowed = true }
    }

    // MARK: - Statement end

    private mutating func endStatement(
        delimiterStart: Int64, end: Int64, chunk: UnsafePointer<UInt8>, chunkBase: Int64, consumed: inout Int,
        _ emit: (ScannedStatement) throws -> Void
    ) rethrows {
        finishWord()
        if state == .delimiterCommand { return }
        if let start {
            var text: [UInt8] = []
            if collect {
                let upTo = Int(delimiterStart - chunkBase)
                if upTo > consumed {
                    carry.append(contentsOf: UnsafeBufferPointer(start: chunk + consumed, count: upTo - consumed))
                    consumed = upTo
                }
                let from = Int(start - carryBase)
                let to = Int(delimiterStart - carryBase)
                text = Array(carry[from..<to])
            }
            let statement = ScannedStatement(
                offset: start, length: Int(delimiterStart - start), kind: classify(),
                tuples: tuples, text: text, terminated: true, shape: shape())
            resetStatement()
            dropCarry(upTo: end, chunkBase: chunkBase, consumed: &consumed)
            try emit(statement)
        } else {
            resetStatement()
            dropCarry(upTo: end, chunkBase: chunkBase, consumed: &consumed)
        }
    }

    private mutating func dropCarry(upTo end: Int64, chunkBase: Int64, consumed: inout Int) {
        guard collect else { return }
        carry.removeAll(keepingCapacity: carry.capacity <= 4 << 20)
        carryBase = end
        consumed = max(consumed, Int(end - chunkBase))
    }

    private mutating func resetStatement() {
        start = nil
        tentativeStart = nil
        depth = 0
        tuples = 0
        afterValues = false
        sawValues = false
        inExecComment = false
        tokensOverflowed = false
        valuesOdd = false
        tokens.removeAll(keepingCapacity: true)
        word.removeAll(keepingCapacity: true)
    }

    // MARK: - Classification

    private func classify() -> StatementKind {
        var words = tokens[...]
        guard case .word(let first, _)? = words.first else { return .other("") }
        words = words.dropFirst()
        /// The name after any of `keywords`, without its qualifier (`db`.`t` is `t`).
        func name(after keywords: Set<String>, in rest: ArraySlice<Token>) -> String? {
            var cursor = ShapeCursor(rest: rest)
            return cursor.qualifiedName(skipping: keywords)?.name
        }
        switch first {
        case "INSERT", "REPLACE":
            if let table = name(after: ["IGNORE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "INTO"], in: words) {
                return .insert(table: table)
            }
        case "CREATE":
            var rest = words
            while let token = rest.first {
                rest = rest.dropFirst()
                guard case .word(let w, _) = token else { continue }
                switch w {
                case "TABLE":
                    if let table = name(after: ["IF", "NOT", "EXISTS"], in: rest) { return .createTable(table) }
                    return .other(first)
                case "VIEW":
                    if let view = name(after: [], in: rest) { return .createView(view) }
                    return .other(first)
                case "DATABASE", "SCHEMA", "TRIGGER", "PROCEDURE", "FUNCTION", "EVENT", "INDEX", "SEQUENCE", "USER":
                    return .other(first)
                default:
                    continue
                }
            }
        case "DROP":
            if case .word(let what, _)? = words.first {
                if what == "TABLE", let table = name(after: ["IF", "EXISTS"], in: words.dropFirst()) {
                    return .dropTable(table)
                }
                if what == "VIEW", let view = name(after: ["IF", "EXISTS"], in: words.dropFirst()) {
                    return .dropView(view)
                }
            }
        case "SET":
            return .set
        case "USE":
            if let db = name(after: [], in: words) { return .use(db) }
        default:
            break
        }
        return .other(first)
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs and carriage returns.
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let c = scalars.first, c == " " || c == "\t" || c == "\r" { scalars = scalars.dropFirst() }
        while let c = scalars.last, c == " " || c == "\t" || c == "\r" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
