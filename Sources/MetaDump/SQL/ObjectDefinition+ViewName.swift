import Foundation
import MetaDB

extension ObjectDefinition {
    /// `SHOW CREATE VIEW` text whose view name is quoted as a client reads it back.
    ///
    /// The OceanBase kernel writes the view's own name between backticks without doubling a backtick
    /// inside it (``CREATE VIEW `v`x` AS …`` for the view ``v`x``), so the statement ends inside a
    /// quoted name when it is run again. MariaDB doubles it; its text is returned unchanged.
    static func requotingViewName(_ text: String, name: String) -> String {
        guard name.contains("`") else { return text }
        let unescaped = "VIEW `" + name + "` AS "
        guard let range = text.range(of: unescaped) else { return text }
        return text.replacingCharacters(in: range, with: "VIEW " + SQL.quoteIdentifier(name) + " AS ")
    }
}
