import Foundation
import MetaDB

extension ObjectDefinition {
    /// The statement with its `DEFINER` clause written as MariaDB and MySQL show it: ``DEFINER=`user`@`host` ``.
    ///
    /// The OceanBase kernel shows a definer unquoted and spaced (`CREATE DEFINER = OMS_SANDBOX @ % TRIGGER …`),
    /// a form no dumper writes and verify refuses; the clause is rebuilt from its own parts (quoted or bare, so
    /// never ambiguous, unlike information_schema's `user@host`). Only a clause between
    /// `CREATE` and the object's keyword is touched: a body that mentions DEFINER stays as it is.
    static func canonicalDefinerClause(_ statement: String) -> String {
        let quoted = #"`(?:[^`]|``)*`|'(?:[^']|'')*'"#
        let pattern =
            #"^(\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:ALGORITHM\s*=\s*\w+\s+)?)DEFINER\s*=\s*("#
            + quoted + #"|[^\s@`']+)\s*@\s*("# + quoted + #"|[^\s`']+)"#
        guard
            let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
            let match = regex.firstMatch(in: statement, range: NSRange(statement.startIndex..., in: statement)),
            let prefix = Range(match.range(at: 1), in: statement),
            let whole = Range(match.range, in: statement),
            let userRange = Range(match.range(at: 2), in: statement),
            let hostRange = Range(match.range(at: 3), in: statement)
        else { return statement }
        let user = unquote(String(statement[userRange]))
        let host = unquote(String(statement[hostRange]))
        let clause = "DEFINER=\(SQL.quoteIdentifier(user))@\(SQL.quoteIdentifier(host))"
        return String(statement[prefix]) + clause + String(statement[whole.upperBound...])
    }

    /// A definer part without its quotes (backquotes or single quotes, doubled inner quotes undone).
    private static func unquote(_ text: String) -> String {
        guard let first = text.first, first == "`" || first == "'", text.count >= 2, text.last == first else {
            return text
        }
        let inner = text.dropFirst().dropLast()
        return inner.replacingOccurrences(of: String([first, first]), with: String(first))
    }

    /// A definer as `user@host` without quotes: the OceanBase kernel's information_schema writes
    /// `'user'@'host'`, MariaDB's `user@host`. Anything else is kept as it is.
    static func plainDefiner(_ definer: String) -> String {
        guard let first = definer.first, first == "'" || first == "`" else { return definer }
        var index = definer.index(after: definer.startIndex)
        while index < definer.endIndex {
            if definer[index] == first {
                let next = definer.index(after: index)
                if next < definer.endIndex, definer[next] == first {
                    index = definer.index(after: next)
                    continue
                }
                guard next < definer.endIndex, definer[next] == "@" else { return definer }
                let user = unquote(String(definer[..<next]))
                let host = unquote(String(definer[definer.index(after: next)...]))
                return "\(user)@\(host)"
            }
            index = definer.index(after: index)
        }
        return definer
    }

    /// A collation name, or nil for what is not one: the OceanBase kernel reports a character set
    /// (`utf8mb4`) as a trigger's collation_connection, which `SET collation_connection` refuses.
    static func collationName(_ text: String) -> String? {
        text.contains("_") ? text : nil
    }
}
