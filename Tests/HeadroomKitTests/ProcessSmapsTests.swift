import Foundation
import Testing
import HeadroomKit

/// The server's non-heap memory from its smaps: the heap found by its reservation, never guessed.
@Suite struct ProcessSmapsTests {
    /// A mapping as smaps prints it, with only the lines the reader uses.
    static func mapping(_ start: UInt64, _ end: UInt64, rssKiB: Int, path: String? = nil, perms: String = "rw-p") -> String {
        let header = String(format: "%012llx-%012llx %@ 00000000 00:00 %@", start, end, perms, path == nil ? "0" : "1234")
        return (path.map { header + "                    \($0)" } ?? header) + "\nSize: \((end - start) / 1024) kB\nRss: \(rssKiB) kB\nPss: \(rssKiB) kB\n"
    }

    @Test func aCompressedOopsHeapEndingAt4GiBIsFoundByItsSize() throws {
        // -Xmx512m: [0xe0000000, 0x100000000), 100 MiB committed and touched, the rest reserved.
        let text = Self.mapping(0x5555_0000_0000, 0x5555_0001_0000, rssKiB: 40, path: "/usr/lib/jvm/java-17/bin/java", perms: "r-xp")
            + Self.mapping(0xE000_0000, 0xE640_0000, rssKiB: 100 * 1024)
            + Self.mapping(0xE640_0000, 0xFFE0_0000, rssKiB: 0, perms: "---p")
            // The class-data-sharing archive, mapped from a file into the top of the heap.
            + Self.mapping(0xFFE0_0000, 0xFFE7_5000, rssKiB: 468, path: "/usr/lib/jvm/java-17/lib/server/classes.jsa")
            + Self.mapping(0xFFE7_5000, 0x1_0000_0000, rssKiB: 0)
            + Self.mapping(0x1_0000_0000, 0x1_0100_0000, rssKiB: 8 * 1024)  // class space, adjacent: not the heap
            + Self.mapping(0x7F00_0000_0000, 0x7F00_0800_0000, rssKiB: 90 * 1024)  // metaspace, code cache, threads
        let smaps = try #require(ProcessSmaps(Array(text.utf8), maxHeapBytes: 512 << 20))
        #expect(smaps.residentHeapBytes == (100 << 20) + (468 << 10))
        #expect(smaps.residentBytes == (100 << 20) + (468 << 10) + (98 << 20) + (40 << 10))
    }

    @Test func aHeapThatCannotBeFoundIsNotGuessed() throws {
        let text = Self.mapping(0x7F00_0000_0000, 0x7F00_0800_0000, rssKiB: 90 * 1024)
        let smaps = try #require(ProcessSmaps(Array(text.utf8), maxHeapBytes: 512 << 20))
        #expect(smaps.residentHeapBytes == nil)
        #expect(ProcessSmaps(Array("not smaps".utf8), maxHeapBytes: 512 << 20) == nil)
    }

    /// This test process is no JVM, but its own smaps must read without a crash and add up.
    @Test func thisProcessesOwnSmapsRead() throws {
        let text = try #require(FileManager.default.contents(atPath: "/proc/self/smaps"))
        let smaps = try #require(ProcessSmaps([UInt8](text), maxHeapBytes: nil))
        #expect(smaps.residentBytes > 1 << 20)
    }

    @Test func smapsNonHeapBeatsRSSMinusCommitted() {
        var record = RecordFacts(requestedCommand: ["bazel", "build", "//..."], command: ["bazel", "build", "//..."])
        record.serverResidentBytes = 215 << 20
        record.serverResidentHeapBytes = 80 << 20
        var builder = FactsBuilder()
        builder.addRecord(record, source: "record.json")
        let facts = builder.finish()
        #expect(facts.server.nonHeapOverhead?.value == 135 << 20)
        #expect(HeapSizing.nonHeapOverhead(facts).measured)
    }
}
