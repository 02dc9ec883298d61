import Foundation

extension Connection {
    /// Runs `attempt` for `sql`, again (four more times at most) while the OceanBase kernel answers a
    /// DDL statement with 5627, "Schema try again".
    ///
    /// The kernel gives that answer when the statement's schema version went stale while another
    /// session's DDL committed: the statement did not run, and the kernel's own advice is to send it
    /// again. Only DDL on OceanBase is retried; any other error, and any other statement, is thrown at once.
    func retryingSchemaTryAgain<T>(_ sql: String, _ attempt: () throws -> T) throws -> T {
        guard isOceanBase, DDLFence.isDDL(sql) else { return try attempt() }
        let attempts = 5
        for number in 1..<attempts {
            do {
                return try attempt()
            } catch let error as MetaDBError where error.code == Self.schemaTryAgain {
                Thread.sleep(forTimeInterval: 0.2 * Double(number))
            }
        }
        return try attempt()
    }

    /// The OceanBase kernel's "Schema try again" (`OB_SCHEMA_EAGAIN`).
    static let schemaTryAgain: UInt32 = 5627
}
