import Foundation
import SandboxSupport
import Testing

@testable import OMSDeployment

#if canImport(Glibc)
    import Glibc
#endif

/// config.yaml cannot exhaust memory or hang the tool: aliases, size and file type are bounded.
@Suite("config.yaml limits")
struct ConfigLimitsTests {
    /// The classic "billion laughs": nine levels of ten aliases each, 10^9 strings when expanded, under an unknown key.
    static let billionLaughs: String = {
        var lines = [ConfigSamples.quoted, #"lol0: &a0 ["lol"]"#]
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("lol\(level): &a\(level) [\(refs)]")
        }
        lines.append("bomb: *a9")
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test("a billion-laughs document is refused at once with a message naming the aliases")
    func billionLaughsIsRefused() throws {
        let error = try #require(throws: OMSConfigError.self) {
            try OMSConfig.parse(yaml: Self.billionLaughs, path: "/data/config.yaml")
        }
        #expect(error.problem == .tooManyValues(limit: OMSConfig.maxValues))
        #expect(error.description.contains("/data/config.yaml") && error.description.contains("aliases"))
    }

    @Test("a few aliases in an unknown key are still accepted and kept as text")
    func smallAliasesAreKept() throws {
        let yaml = ConfigSamples.quoted + "\nbase: &b {x: 1}\ncopy: *b\n"
        let config = try OMSConfig.parse(yaml: yaml, path: "/c.yaml")
        #expect(config.extra["copy"]?.contains("x: 1") == true)
    }

    @Test("a file larger than the limit is refused without being parsed")
    func largeFileIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("config.yaml").path
        let padding = "# " + String(repeating: "x", count: 200) + "\n"
        let text = ConfigSamples.quoted + String(repeating: padding, count: OMSConfig.maxFileSize / padding.count + 1)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: OMSConfigError.self) { try OMSConfig.load(path: path) }
        #expect(error.problem == .tooLarge(limit: OMSConfig.maxFileSize))
    }

    @Test("a FIFO is refused without blocking, a directory and a device too")
    func nonRegularFilesAreRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fifo = dir.url.appendingPathComponent("config.yaml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // No writer ever opens the FIFO: a blocking open would hang this test forever.
        let error = try #require(throws: OMSConfigError.self) { try OMSConfig.load(path: fifo) }
        #expect(error.problem == .notARegularFile(kind: "a FIFO (named pipe)"))
        #expect(error.description.contains("not a regular file"))
        let directory = try #require(throws: OMSConfigError.self) { try OMSConfig.load(path: dir.url.path) }
        #expect(directory.problem == .notARegularFile(kind: "a directory"))
        let device = try #require(throws: OMSConfigError.self) { try OMSConfig.load(path: "/dev/zero") }
        #expect(device.problem == .notARegularFile(kind: "a device"))
    }

    @Test("a regular config.yaml still loads")
    func regularFileLoads() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("config.yaml").path
        try ConfigSamples.quoted.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try OMSConfig.load(path: path).metaHost == "10.0.0.5")
    }
}
