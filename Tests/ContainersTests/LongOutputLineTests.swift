import Containers
import Foundation
import SandboxSupport
import Testing

/// A program inside the container printing one line of hundreds of kilobytes is logged (truncated), never fatal.
@Suite("long output lines")
struct LongOutputLineTests {
    // Both long lines go to stdout: the docker CLI copies a container's stdout and stderr in separate
    // goroutines, so lines of the two streams may interleave in the combined pipe.
    @Test(
        "docker exec of a 300 KB line: exit code returned, the line truncated, the lines after it intact",
        .integration, .tags(.docker))
    func execWithAHugeLine() async throws {
        let image = try TestImage.ensure()
        let engine = DockerCLI()
        let name = Sandbox.uniqueName("oms_longline")
        defer { TestImage.removeContainers([name]) }
        _ = try await engine.run(ContainerRunSpec(name: name, image: image, networkMode: "host"))
        let lines = DockerCLITests.Lines()
        let script =
            "echo before; head -c 300000 /dev/zero | tr '\\0' x; echo; echo after; "
            + "head -c 300000 /dev/zero | tr '\\0' y; echo; exit 4"
        let code = try await engine.exec(
            name, command: ["sh", "-c", script], timeoutSeconds: 60,
            onOutputLine: { lines.append($0) })
        #expect(code == 4)
        let all = lines.all
        #expect(all.count == 4, "\(all.map { $0.prefix(40) })")
        #expect(all.first == "before")
        #expect(all.contains("after"))
        let huge = all.filter { $0.hasSuffix("[line truncated: 300000 bytes]") }
        #expect(huge.count == 2)
        #expect(huge.allSatisfy { $0.utf8.count < OutputLineSplitter.defaultMaxLineBytes + 100 })
    }

    @Test("the splitter keeps lines of any length within its bound, across chunk boundaries")
    func splitterBounds() {
        var splitter = OutputLineSplitter(maxLineBytes: 8)
        var out: [String] = []
        for chunk in ["ab", "c\r\nd", "efghijklmnop", "qr\nlast"] {
            Array(chunk.utf8).withUnsafeBytes { splitter.feed($0) { out.append($0) } }
        }
        splitter.finish { out.append($0) }
        #expect(out == ["abc", "defghijk… [line truncated: 15 bytes]", "last"])
    }
}
