import Foundation

extension SandboxMySQL {
    /// Runs `create` (one `CREATE TRIGGER` of trigger `name`, run in `database`) past the OceanBase kernel's
    /// spurious "trigger already exist" (5734) and "Schema try again" (5627) while other tests run DDL,
    /// as the tool's own `createTriggerTolerantly` does: a 5734 for a trigger that does exist is success,
    /// anything else is tried again (five times at most).
    public func createTrigger(_ create: String, name: String, database: String) throws {
        for attempt in 1...5 {
            do {
                try query(create, database: database)
                return
            } catch let error as SandboxError
                where error.description.contains("ERROR 5734") || error.description.contains("ERROR 5627")
            {
                let exists = try scalar(
                    "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = "
                        + "\(Self.quoteString(database)) AND TRIGGER_NAME = \(Self.quoteString(name))")
                if exists == "1" && error.description.contains("ERROR 5734") { return }
                if attempt == 5 { throw error }
                Thread.sleep(forTimeInterval: 0.5 * Double(attempt))
            }
        }
    }
}
