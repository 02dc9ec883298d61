/// Text made safe for a `-- ` comment line of a dump file.
///
/// A comment line ends at the first newline, for this tool's scanner and for the
/// stock `mysql`/`mariadb` client alike: a name holding a newline, written raw,
/// would turn its remainder into a statement. Here every character that ends a
/// line or that a terminal would hide (controls, format and separator characters)
/// is written as `\u{…}`, and a backslash as `\\`; everything else, Unicode letters
/// included, stays readable.
enum SQLComment {
    /// `text` with line-ending, control and invisible characters escaped.
    static func text(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default:
                if scalar == "\\" { out += "\\\\" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// An identifier in backticks (a backtick inside doubled), made safe with ``text(_:)``.
    static func identifier(_ name: String) -> String {
        "`" + text(name.replacing("`", with: "``")) + "`"
    }
}
