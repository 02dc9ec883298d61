/// A view's `CREATE` statement made portable: no `DEFINER`, no references to its own database by name.
///
/// `SHOW CREATE VIEW` names the definer (`DEFINER=`root`@`%``), which restore
/// under another account cannot reuse without SUPER, and qualifies tables of
/// the view's own database (`` `rm`.`t` ``), which would tie a copy restored
/// under another name to the original. Both are removed; the definer is kept
/// for a comment.
package struct ViewDefinition: Sendable, Hashable, Codable {
    /// The view name.
    package var name: String
    /// `CREATE … VIEW `name` AS …` without DEFINER and without the own-database qualifier.
    package var statement: String
    /// The original definer, such as `` `root`@`localhost` ``, if there was one.
    var definer: String?

    /// Normalizes `SHOW CREATE VIEW` output of `view` in `database`.
    ///
    /// `foldingCase`: the server stores names in lower case (the OceanBase kernel, `lower_case_table_names = 1`),
    /// so its text names `database` in lower case whatever case it was given in.
    package init(name: String, showCreateView text: String, database: String, foldingCase: Bool = false) {
        self.name = name
        let (withoutDefiner, definer) = Self.removeDefiner(text)
        self.definer = definer
        self.statement = Self.removeQualifier(database, from: withoutDefiner, foldingCase: foldingCase)
    }

    /// Creates a definition from parts already normalized.
    package init(name: String, statement: String, definer: String?) {
        self.name = name
        self.statement = statement
        self.definer = definer
    }

    /// The names (backtick-quoted) this definition mentions, to order views that use other views.
    func mentions(_ other: String) -> Bool {
        statement.contains("`" + other.replacing("`", with: "``") + "`")
    }

    /// Orders views so that each comes after the views it mentions (a cycle keeps the input order).
    static func dependencyOrder(_ views: [ViewDefinition]) -> [ViewDefinition] {
        var remaining = views
        var ordered: [ViewDefinition] = []
        while !remaining.isEmpty {
            let ready =
                remaining.firstIndex { view in
                    !remaining.contains { $0.name != view.name && view.mentions($0.name) }
                } ?? 0
            ordered.append(remaining.remove(at: ready))
        }
        return ordered
    }

    // MARK: - Text surgery

    static func removeDefiner(_ text: String) -> (String, String?) {
        let bytes = Array(text.utf8)
        // A view's DEFINER comes before " AS ", a trigger's before " TRIGGER ".
        guard let asIndex = topLevelKeyword(" AS ", in: bytes) ?? topLevelKeyword(" TRIGGER ", in: bytes),
            let definerStart = find(Array("DEFINER=".utf8), in: bytes, before: asIndex)
        else { return (text, nil) }
        var i = definerStart + 8
        // user@host, each part `quoted`, 'quoted' or bare; or CURRENT_USER.
        func skipPart() {
            guard i < bytes.count else { return }
            let quote = bytes[i]
            if quote == UInt8(ascii: "`") || quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") {
                i += 1
                while i < bytes.count {
                    if bytes[i] == quote {
                        if i + 1 < bytes.count && bytes[i + 1] == quote {
                            i += 2
                            continue
                        }
                        i += 1
                        return
                    }
                    i += 1
                }
            } else {
                while i < bytes.count && bytes[i] != UInt8(ascii: " ") && bytes[i] != UInt8(ascii: "@") { i += 1 }
            }
        }
        skipPart()
        if i < bytes.count && bytes[i] == UInt8(ascii: "@") {
            i += 1
            skipPart()
        }
        let definer = String(decoding: bytes[(definerStart + 8)..<i], as: UTF8.self)
        while i < bytes.count && bytes[i] == UInt8(ascii: " ") { i += 1 }
        let result =
            String(decoding: bytes[..<definerStart], as: UTF8.self) + String(decoding: bytes[i...], as: UTF8.self)
        return (result, definer)
    }

    /// Removes `` `database`. `` before names, outside string literals; with `foldingCase`, whatever its case.
    static func removeQualifier(_ database: String, from text: String, foldingCase: Bool = false) -> String {
        let bytes = Array(text.utf8)
        let target = Array((foldingCase ? database.lowercased() : database).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
                let start = i
                i += 1
                while i < bytes.count {
                    if bytes[i] == UInt8(ascii: "\\") {
                        i += 2
                        continue
                    }
                    if bytes[i] == b {
                        if i + 1 < bytes.count && bytes[i + 1] == b {
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    i += 1
                }
                out.append(contentsOf: bytes[start..<min(i, bytes.count)])
            } else if b == UInt8(ascii: "`") {
                let start = i
                var name: [UInt8] = []
                i += 1
                while i < bytes.count {
                    if bytes[i] == UInt8(ascii: "`") {
                        if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "`") {
                            name.append(UInt8(ascii: "`"))
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    name.append(bytes[i])
                    i += 1
                }
                let named = foldingCase ? Array(String(decoding: name, as: UTF8.self).lowercased().utf8) : name
                if named == target && i < bytes.count && bytes[i] == UInt8(ascii: ".") {
                    i += 1  // drop `database`.
                } else {
                    out.append(contentsOf: bytes[start..<min(i, bytes.count)])
                }
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func topLevelKeyword(_ keyword: String, in bytes: [UInt8]) -> Int? {
        let k = Array(keyword.utf8)
        var i = 0
        var quote: UInt8? = nil
        while i + k.count <= bytes.count {
            let b = bytes[i]
            if let q = quote {
                if b == q { quote = nil }
            } else if b == UInt8(ascii: "`") || b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
                quote = b
            } else if bytes[i..<(i + k.count)].elementsEqual(k) {
                return i
            }
            i += 1
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], before limit: Int) -> Int? {
        guard needle.count <= limit else { return nil }
        for i in 0...(limit - needle.count) where bytes[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }
}
