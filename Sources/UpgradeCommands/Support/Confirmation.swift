import Foundation
import UpgradeEngine

/// Asks the operator to confirm a change on the terminal, unless `--yes` was given.
enum Confirmation {
    /// Returns when confirmed; throws when declined or when there is no terminal to ask on.
    static func require(yes: Bool, question: String) throws {
        if yes { return }
        guard isatty(0) != 0 else {
            throw EngineError.notConfirmed(
                "Nothing was changed: there is no terminal to confirm on. Add --yes to proceed without a question.")
        }
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard answer == "y" || answer == "yes" else {
            throw EngineError.notConfirmed("Nothing was changed: not confirmed.")
        }
    }
}
