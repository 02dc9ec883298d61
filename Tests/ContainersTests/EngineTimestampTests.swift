import Containers
import Foundation
import Testing

@Suite("Engine timestamps")
struct EngineTimestampTests {
    @Test("a docker logs --timestamps line splits into the time it was written and its text")
    func splitsTimestampedLine() throws {
        let split = EngineTimestamp.splitLogLine("2026-12-07T03:56:45.5Z OMS service start successfully")
        #expect(split.text == "OMS service start successfully")
        let expected = try #require(EngineTimestamp.parse("2026-12-07 05:56:45.500000000 +0200"))
        #expect(split.writtenAt == expected)
    }

    @Test("a line without a time (an engine that keeps none) stays whole, with no time")
    func keepsLineWithoutTime() {
        let split = EngineTimestamp.splitLogLine("OMS service start successfully")
        #expect(split.text == "OMS service start successfully")
        #expect(split.writtenAt == nil)
        #expect(EngineTimestamp.splitLogLine("").writtenAt == nil)
        #expect(EngineTimestamp.splitLogLine("starting: 2026-12-07T03:56:45Z").writtenAt == nil)
    }
}
