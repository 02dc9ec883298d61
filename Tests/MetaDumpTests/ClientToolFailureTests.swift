import MetaDB
import Testing

@testable import MetaDump

/// A client program's failure keeps the MySQL errors it printed as typed errors, and its words as they were.
@Suite("ClientToolFailure reads the codes a client program printed")
struct ClientToolFailureTests {
    @Test("the dump programs' `Got error: NNNN` and the client's `ERROR NNNN (SSSSS)`, in the order printed")
    func readsBothForms() {
        let failure = ClientToolFailure(
            tool: "mariadb", status: "exited with code 1",
            standardError:
                "mariadb-dump: Got error: 2013: \"Lost connection to server during query\" when dumping table `t`"
                + " | ERROR 2006 (HY000) at line 12: MySQL server has gone away | ERROR 1146 (42S02): Table 'rm.x'")
        #expect(failure.reported.map(\.code) == [2013, 2006, 1146])
        #expect(failure.reported.map(\.sqlState) == ["HY000", "HY000", "42S02"])
        #expect(ErrorChain.mysqlCodes(in: failure) == [2013, 2006, 1146])
    }

    @Test("a message without a MySQL error reports none, and the description quotes the program as before")
    func plainFailure() {
        let failure = ClientToolFailure(tool: "mysqldump", status: "exited with code 2", standardError: "")
        #expect(failure.reported.isEmpty)
        #expect(failure.description == "mysqldump exited with code 2: no message")
        let noisy = ClientToolFailure(
            tool: "mysql", status: "exited with code 1", standardError: "ERROR at line 3: Unknown command '\\q'")
        #expect(noisy.reported.isEmpty)
        #expect(noisy.description == "mysql exited with code 1: ERROR at line 3: Unknown command '\\q'")
    }

    @Test("wrapped in a MetaDumpError, the codes are still found")
    func wrapped() {
        let failure = ClientToolFailure(
            tool: "mysqldump", status: "exited with code 2",
            standardError: "mysqldump: Got error: 2002: Can't connect to server on '127.0.0.1' (111)")
        let error = MetaDumpError(
            .toolFailed, action: "Dumping `rm`", reason: "\(failure)", database: "rm", underlying: failure)
        #expect(ErrorChain.mysqlCodes(in: error) == [2002])
        #expect(
            error.description
                == "Dumping `rm` failed: mysqldump exited with code 2: mysqldump: Got error: 2002: Can't connect to server on '127.0.0.1' (111)."
        )
    }
}
