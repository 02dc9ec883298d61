import MetaDB
import MetaDump
import Testing

@testable import UpgradeEngine

/// Which errors make the runner wait out the metadata server: decided by the server's code, read from typed errors.
@Suite("MetaRetry reads connection loss from error codes")
struct MetaRetryClassificationTests {
    private struct Unrelated: Error, CustomStringConvertible {
        var text: String
        var description: String { text }
    }

    private static func server(_ code: UInt32, _ state: String = "HY000") -> MetaDBError {
        MetaDBError(kind: .query, code: code, sqlState: state, message: "message \(code)", endpoint: "oms@db:3306")
    }

    @Test(
        "a database error with a connection code is a connection loss",
        arguments: [2002, 2003, 2006, 2013, 2055, 1927, 1053, 4031] as [UInt32])
    func connectionCodes(_ code: UInt32) {
        #expect(MetaRetry.isConnectionLoss(Self.server(code)))
    }

    @Test("a database error with another code is not", arguments: [0, 1045, 1062, 1146, 1213, 5734] as [UInt32])
    func otherCodes(_ code: UInt32) {
        #expect(!MetaRetry.isConnectionLoss(Self.server(code)))
    }

    @Test("the code is found through every layer that wraps it, with its SQLSTATE")
    func wrapped() throws {
        let dump = MetaDumpError(
            .database, action: "Dumping `rm`.`t`", reason: "\(Self.server(2013))", underlying: Self.server(2013))
        let step = EngineError.stepFailed(.backup, "\(dump)", underlying: dump)
        let nodes = NodeFailures(failures: [
            ("10.0.0.1", Unrelated(text: "docker went away")), ("10.0.0.2", step),
        ])
        let failure = UpgradeFailure(step: .backup, cause: nodes, rolledBack: false)
        #expect(MetaRetry.isConnectionLoss(dump))
        #expect(MetaRetry.isConnectionLoss(step))
        #expect(MetaRetry.isConnectionLoss(nodes))
        #expect(MetaRetry.isConnectionLoss(failure))
        let found = try #require(ErrorChain.mysqlErrors(in: failure).first)
        #expect(found.code == 2013)
        #expect(found.sqlState == "HY000")
        #expect(
            ErrorChain.mysqlErrors(in: EngineError.rollbackBlocked("x", underlying: Self.server(1146, "42S02")))
                .map(\.sqlState) == ["42S02"])
    }

    @Test(
        "a client program that printed a lost connection is a connection loss; one that printed a syntax error is not")
    func clientPrograms() {
        func failed(_ text: String) -> MetaDumpError {
            let failure = ClientToolFailure(tool: "mariadb", status: "exited with code 1", standardError: text)
            return MetaDumpError(.toolFailed, action: "Loading `rm`", reason: "\(failure)", underlying: failure)
        }
        #expect(MetaRetry.isConnectionLoss(failed("ERROR 2006 (HY000) at line 4: MySQL server has gone away")))
        #expect(MetaRetry.isConnectionLoss(failed("mariadb-dump: Got error: 2002: Can't connect")))
        #expect(!MetaRetry.isConnectionLoss(failed("ERROR 1064 (42000) at line 4: You have an error in your SQL")))
    }

    @Test("text alone is not read: an untyped error that quotes a code is not a connection loss")
    func textIsNotRead() {
        #expect(!MetaRetry.isConnectionLoss(Unrelated(text: "MySQL error 2013 (HY000): Lost connection")))
        #expect(
            !MetaRetry.isConnectionLoss(EngineError.stepFailed(.backup, "MySQL error 2013 (HY000): Lost connection")))
    }

    @Test("a wrapped error keeps the message as readable as the text it used to carry")
    func messages() {
        let cause = Self.server(2013)
        let step = EngineError.stepFailed(.backup, "it waited: \(cause)", underlying: cause)
        #expect(step.description == "Step backup failed: it waited: \(cause)")
    }
}
