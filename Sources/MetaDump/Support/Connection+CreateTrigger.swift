import Foundation
import MetaDB

extension Connection {
    /// Runs `create` (a `CREATE TRIGGER` of trigger `name` in `database`), past the OceanBase kernel's
    /// spurious "trigger … already exist" (5734), which it answers while other sessions run DDL.
    ///
    /// After a 5734 the trigger is accepted when it now exists in `database` (callers create only in a
    /// database that held no trigger of that name), and created again otherwise, three times at most.
    package func createTriggerTolerantly(_ create: String, database: String, name: String) throws {
        for attempt in 1...3 {
            do {
                try execute(create)
                return
            } catch let error as MetaDBError where error.code == 5734 {
                let exists = try strings(
                    """
                    SELECT 1 FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = \(SQL.quoteString(database)) \
                    AND TRIGGER_NAME = \(SQL.quoteString(name))
                    """)
                if !exists.isEmpty { return }
                if attempt == 3 { throw error }
                Thread.sleep(forTimeInterval: 0.2 * Double(attempt))
            }
        }
    }
}
