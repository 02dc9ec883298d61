import Foundation
import MetaDB
import Testing

@testable import MetaDump

@Suite("MetaDumpError.wrap keeps the cause and names its category")
struct MetaDumpErrorWrapTests {
    private struct Unforeseen: Error, CustomStringConvertible {
        var description: String { "something unforeseen" }
    }

    @Test("an error of another kind is kept as the underlying error and is not called a file-system error")
    func unknownErrorIsUnexpected() throws {
        let wrapped = MetaDumpError.wrap(Unforeseen(), action: "Dumping `rm`", database: "rm")
        #expect(wrapped.kind == .unexpected)
        #expect(wrapped.underlying is Unforeseen)
        #expect(wrapped.description == "Dumping `rm` failed: something unforeseen.")
    }

    @Test("a database error stays a database error, with the MetaDBError underneath")
    func databaseError() throws {
        let cause = MetaDBError(kind: .query, code: 1146, message: "Table 'rm.x' doesn't exist", endpoint: "db:3306")
        let wrapped = MetaDumpError.wrap(cause, action: "Reading `rm`.`x`")
        #expect(wrapped.kind == .database)
        #expect((wrapped.underlying as? MetaDBError)?.code == 1146)
        #expect(wrapped.reason == cause.description)
    }

    @Test(
        "system errors are file-system errors",
        arguments: [
            CocoaError(.fileWriteNoPermission) as any Error, POSIXError(.EACCES), POSIXError(.ENOSPC),
        ])
    func systemErrors(_ cause: any Error) throws {
        let wrapped = MetaDumpError.wrap(cause, action: "Writing the dump")
        #expect(wrapped.kind == .fileSystem)
        #expect(wrapped.underlying != nil)
    }

    @Test("a MetaDumpError passes through unchanged")
    func ownErrorPassesThrough() throws {
        let own = MetaDumpError(.refused, action: "Restoring", reason: "not empty", remedy: "Use --force.")
        let wrapped = MetaDumpError.wrap(own, action: "Something else")
        #expect(wrapped.kind == .refused)
        #expect(wrapped.description == own.description)
        #expect(wrapped.underlying == nil)
    }
}
