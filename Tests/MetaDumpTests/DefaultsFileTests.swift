import Foundation
import MetaDB
import MetaDump
import SandboxSupport
import Testing

@Suite(.integration, .tags(.mariadb)) struct DefaultsFileTests {
    @Test func hostilePasswordsReachTheClientIntact() throws {
        let user = Sandbox.uniqueName("md_cnf")
        let password = "a\"b\\c#d 'e;f\tg\\\\h\"\" #"
        try TestServer.run(["CREATE USER '\(user)'@'127.0.0.1' IDENTIFIED BY \(SQL.quoteString(password))"])
        defer { try? TestServer.run(["DROP USER IF EXISTS '\(user)'@'127.0.0.1'"]) }
        var options = try TestServer.options()
        options.user = user
        options.password = Secret(password)
        let file = try DefaultsFile(server: options)
        let mode = (try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber)?
            .intValue
        #expect(mode == 0o600)
        let result = try Sandbox.run("mariadb", [file.argument, "-N", "-e", "SELECT CURRENT_USER()"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix(user + "@"))
        file.remove()
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }
}
