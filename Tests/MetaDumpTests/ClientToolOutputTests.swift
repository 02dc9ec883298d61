import SandboxSupport
import Testing

@testable import MetaDump

/// A client program's standard error of any size is never an error by itself, and stays bounded in messages.
@Suite(.integration) struct ClientToolOutputTests {
    let shell = ClientTool(path: "/bin/sh", versionLine: "sh", isMariaDB: false)

    @Test func aHugeStandardErrorLineDoesNotFailASuccessfulRun() async throws {
        // 2 MB on one line, then success: mysqldump's warnings can be this long.
        try await shell.run(
            ["-c", "head -c 2000000 /dev/zero | tr '\\0' w >&2; echo >&2; exit 0"], input: nil, output: nil,
            action: "Running a noisy tool", database: nil, file: nil)
    }

    @Test func aFailureQuotesTheStartAndEndOfAHugeStandardErrorWithinABound() async throws {
        let error = try await #require(throws: MetaDumpError.self) {
            try await shell.run(
                ["-c", "echo first >&2; head -c 300000 /dev/zero | tr '\\0' e >&2; echo >&2; echo last >&2; exit 3"],
                input: nil, output: nil, action: "Running a failing tool", database: nil, file: nil)
        }
        #expect(error.description.contains("first"))
        #expect(error.description.contains("last"))
        #expect(error.description.contains("bytes omitted"))
        #expect(error.description.utf8.count < 20_000)
    }
}
