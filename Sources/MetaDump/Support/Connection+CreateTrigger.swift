import Foundation
import MetaDB

extension Connection {
    /// Runs `create` (a `CREATE TRIGGER` of trigger `name` in `database`), past the OceanBase kernel's
    /// spurious "trigger … already exist" (5734) while other sessions run DDL.
    ///
    /// After it, the trigger is accepted when it now exists in `database` (callers create only in a
    /// database that held no trigger of that name), and created again otherwise, five times at most.
    /// "Schema try again" (5627) is sent again by ``MetaDB/Connection`` itself, for every DDL statement.
    package func createTriggerTolerantly(_ create: String, database: String, name: String) throws {
        let attempts = 5
        for attempt in 1...attempts {
            do {
                try execute(create)
                return
            } catch let error as MetaDBError where Self.transientTriggerDDLCodes.contains(error.code) {
                let exists = try strings(
                    """
                    SELECT 1 FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = \(SQL.quoteString(database)) \
                    AND TRIGGER_NAME = \(SQL.quoteString(name))
                    """)
                if !exists.isEmpty { return }
                if attempt == attempts { throw error }
                Thread.sleep(forTimeInterval: 0.2 * Double(attempt))
            }
        }
    }

    /// The OceanBase kernel's answer to a `CREATE TRIGGER` that a later attempt gets past: 5734, a
    /// spurious "already exist" (its schema refresh was racing other DDL).
    static let transientTriggerDDLCodes: Set<UInt32> = [5734]
}
