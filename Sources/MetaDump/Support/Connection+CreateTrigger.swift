import Foundation
import MetaDB

extension Connection {
    /// Runs `create` (a `CREATE TRIGGER` of trigger `name` in `database`), past the OceanBase kernel's
    /// transient answers while other sessions run DDL: a spurious "trigger … already exist" (5734)
    /// and "Schema try again" (5627).
    ///
    /// After either, the trigger is accepted when it now exists in `database` (callers create only in
    /// a database that held no trigger of that name), and created again otherwise, five times at most.
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

    /// The OceanBase kernel's answers to a `CREATE TRIGGER` that a later attempt gets past: 5734, a
    /// spurious "already exist", and 5627, "Schema try again" (its schema refresh was racing other DDL).
    static let transientTriggerDDLCodes: Set<UInt32> = [5734, 5627]
}
