import MetaDB

/// Finds the definers of a backup's objects that do not exist on the target server, before anything is written.
///
/// A view, trigger or routine is restored with its original `DEFINER` (so that it runs with the same
/// rights as before); the server refuses, or leaves an object that fails when used, if that account
/// does not exist. Accounts are looked up in `mysql.user`; when the restoring account may not read it,
/// only a definer equal to `CURRENT_USER()` counts as known, and the others are reported as unchecked.
enum DefinerCheck {
    /// What the check found.
    struct Result: Sendable, Equatable {
        /// Definers (`user@host`) that do not exist on the target.
        var missing: [String] = []
        /// Definers that could not be checked (no privilege on `mysql.user`).
        var unchecked: [String] = []
    }

    /// Checks every distinct definer of `objects`.
    static func check(_ connection: Connection, definers: Set<String>) throws -> Result {
        var result = Result()
        guard !definers.isEmpty else { return result }
        let current = try connection.text("SELECT CURRENT_USER()") ?? ""
        let readable = (try? connection.strings("SELECT 1 FROM mysql.user LIMIT 1")) != nil
        for definer in definers.sorted() where definer != current {
            guard let at = definer.lastIndex(of: "@") else { continue }
            let user = String(definer[..<at])
            let host = String(definer[definer.index(after: at)...])
            guard readable else {
                result.unchecked.append(definer)
                continue
            }
            let found = try connection.strings(
                "SELECT 1 FROM mysql.user WHERE User = \(SQL.quoteString(user)) AND Host = \(SQL.quoteString(host))")
            if found.isEmpty { result.missing.append(definer) }
        }
        return result
    }

    /// Throws the refusal for `missing` definers of the backup in `directory`.
    static func refusal(_ missing: [String], directory: String) -> MetaDumpError {
        let list = missing.map { definer -> String in
            guard let at = definer.lastIndex(of: "@") else { return SQL.quoteString(definer) }
            return SQL.quoteString(String(definer[..<at])) + "@"
                + SQL.quoteString(String(definer[definer.index(after: at)...]))
        }
        return MetaDumpError(
            .refused, action: "Restoring from \(directory)",
            reason:
                "the backup's views, triggers or routines are defined by \(missing.count == 1 ? "an account" : "accounts") that \(missing.count == 1 ? "does" : "do") not exist on the target server: \(list.joined(separator: ", "))",
            file: directory,
            remedy:
                "Nothing was changed. Create \(missing.count == 1 ? "the account" : "the accounts") first (CREATE USER \(list.joined(separator: ", ")) with the rights the objects need), then run the restore again."
        )
    }
}
