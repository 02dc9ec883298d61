import Foundation

extension SandboxMySQL {
    /// Runs `statements` one by one (each its own `mariadb` call), past the OceanBase kernel's transient
    /// "Schema try again" (5627), which it answers DDL with while other tests run DDL.
    ///
    /// A statement answered with 5627 is run again (five times at most); if the retry then finds the
    /// object already there ("already exists"), the first attempt took effect after all, and that is success.
    public func run(_ statements: [String], database: String? = nil) throws {
        for statement in statements {
            try runPastSchemaTryAgain(statement, database: database)
        }
    }

    private func runPastSchemaTryAgain(_ statement: String, database: String?) throws {
        var sawTryAgain = false
        for attempt in 1...5 {
            do {
                try query(statement, database: database)
                return
            } catch let error as SandboxError where error.description.contains("ERROR 5627") {
                sawTryAgain = true
                if attempt == 5 { throw error }
                Thread.sleep(forTimeInterval: 0.5 * Double(attempt))
            } catch let error as SandboxError where sawTryAgain && error.description.contains("already exist") {
                return
            }
        }
    }
}
