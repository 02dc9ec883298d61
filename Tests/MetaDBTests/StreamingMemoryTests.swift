import Foundation
import MetaDB
import SandboxSupport
import Testing

/// Resident set size of this process, from /proc/self/statm.
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Gives the C heap's free pages back to the system (glibc `malloc_trim(0)`), so that memory
/// freed earlier in the process cannot hide a later allocation from RSS.
func trimHeap() {
    typealias MallocTrim = @convention(c) (Int) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
    _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
}

/// Memory numbers of the last run, printed for the report.
private func megabytes(_ bytes: Int) -> String {
    String(format: "%.1f MB", Double(bytes) / 1_048_576)
}

@Suite("Streaming keeps memory flat", .serialized, .integration, .tags(.mariadb))
struct StreamingMemoryTests {
    static let rows = 1_000_000
    static let sql = "SELECT seq, REPEAT('x', 100) FROM seq_1_to_\(rows)"
    static let limit = 50 * 1_048_576

    @Test("streaming 1M rows grows resident memory by less than 50 MB; buffering them would not")
    func streamingIsFlat() throws {
        try TestDatabase.withDatabase { db, _ in

            // Row-by-row (allocating a Row per row) and raw streaming, peak RSS sampled every 50k rows.
            let before = residentBytes()
            var peak = before
            var count = 0
            var sum: Int64 = 0
            try db.stream(Self.sql) { row in
                count += 1
                sum &+= row[0].int64 ?? 0
                if count % 50_000 == 0 { peak = max(peak, residentBytes()) }
            }
            #expect(count == Self.rows)
            #expect(sum == Int64(Self.rows) * Int64(Self.rows + 1) / 2)
            var rawCount = 0
            var rawBytes = 0
            try db.streamRaw(Self.sql) { _, row in
                rawCount += 1
                rawBytes += row[1]?.count ?? 0
                if rawCount % 50_000 == 0 { peak = max(peak, residentBytes()) }
            }
            #expect(rawCount == Self.rows)
            #expect(rawBytes == Self.rows * 100)
            let streamedGrowth = peak - before

            // The same rows buffered: this must need far more, or the check above proves nothing.
            // Trim first, so memory freed earlier in the process cannot absorb the allocation.
            trimHeap()
            let bufferedBefore = residentBytes()
            let buffered = try db.query(Self.sql)
            let bufferedGrowth = residentBytes() - bufferedBefore
            #expect(buffered.count == Self.rows)

            print(
                "MetaDB streaming memory: \(Self.rows) rows; RSS before \(megabytes(before)), streamed peak growth \(megabytes(streamedGrowth)), buffered growth \(megabytes(bufferedGrowth))"
            )
            #expect(streamedGrowth < Self.limit, "streaming grew RSS by \(megabytes(streamedGrowth))")
            #expect(
                bufferedGrowth > Self.limit,
                "buffering grew RSS by only \(megabytes(bufferedGrowth)); the test cannot tell streaming from buffering"
            )
            withExtendedLifetime(buffered) {}
        }
    }
}
