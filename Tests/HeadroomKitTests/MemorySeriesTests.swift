import Foundation
import Testing
import HeadroomKit

/// Series made by other tools: two-column lines, pidstat, cgroup snapshots, and format detection.
@Suite struct MemorySeriesTests {
    static func collect(_ read: ((MemorySample) throws -> Void) throws -> MemorySeriesSummary) throws -> (samples: [MemorySample], summary: MemorySeriesSummary) {
        var samples: [MemorySample] = []
        let summary = try read { samples.append($0) }
        return (samples, summary)
    }

    static func temporaryFile(_ name: String, _ text: String) throws -> (path: String, directory: URL) {
        let directory = try TestSupport.temporaryDirectory()
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return (url.path, directory)
    }

    // MARK: two columns

    @Test func twoColumnUnitsCommentsAndBadLines() throws {
        let path = LiveFixtures.path("series/two-column.txt")
        let (samples, summary) = try Self.collect { try TwoColumnSeriesReader.read(path, $0) }
        #expect(samples.map(\.time) == [0, 1.5, 3, 4.5, 7.5])
        let expected: [Int64] = [104_857_600, 150 << 20, 163_840 * 1024, 3 << 29, 200_000 * 1024]
        #expect(samples.map { $0.processes?.rssBytes } == expected)
        #expect(samples.allSatisfy { $0.processes?.processCount == 1 && $0.processes?.rootPID == 0 && $0.cgroup == nil })
        #expect(summary.badLines.map(\.line) == [7, 8])
        #expect(summary.badLines[0].reason.contains("time"))
        #expect(summary.badLines[1].reason.contains("size"))
        #expect(summary.linesRead == 9)
        #expect(summary.format == .twoColumn)
    }

    @Test func twoColumnISOStampsAndCommas() throws {
        let (samples, summary) = try Self.collect { try TwoColumnSeriesReader.read(LiveFixtures.path("series/two-column-iso.csv"), $0) }
        #expect(samples.map(\.time) == [1_714_557_600, 1_714_557_601.5, 1_714_557_603 - 7200])
        #expect(samples.map { $0.processes?.rssBytes } == [1 << 20, 2 << 20, 3 << 20])
        #expect(summary.badLineCount == 0)
    }

    @Test(arguments: [
        ("123", 123), ("1.5G", 3 << 29), ("150M", 150 << 20), ("4kB", 4096), ("4KB", 4096), ("4KiB", 4096), ("4k", 4096),
        ("2T", 2 << 40), ("7B", 7), ("0", 0), ("9223372036854775807", Int64.max),
    ] as [(String, Int64)])
    func sizes(text: String, bytes: Int64) {
        #expect(SeriesFields.bytes(Substring(text)) == bytes)
    }

    @Test(arguments: ["", "-5", "12 parsecs", "1.2.3", "9223372036854775808", "99999999999999999999G", "nan", "inf", "1e3", "M", "12XB"])
    func damagedSizesAreNil(text: String) {
        #expect(SeriesFields.bytes(Substring(text)) == nil)
    }

    @Test func sizeWithItsUnitApart() {
        #expect(SeriesFields.bytes("163840", unit: "kB") == Int64(163_840 * 1024))
        #expect(SeriesFields.bytes("1M", unit: "kB") == nil)
    }

    // MARK: pidstat

    @Test func pidstatOneProcessWithClockTimes() throws {
        let (samples, summary) = try Self.collect { try PidstatReader.read(LiveFixtures.path("series/pidstat-r-h.txt"), $0) }
        // 2026-11-21 20:43:19 UTC and the next two seconds.
        #expect(samples.map(\.time) == [1_795_293_799, 1_795_293_800, 1_795_293_801])
        let kilobytes: [Int64] = [33_968, 44_208, 54_448]
        #expect(samples.map { $0.processes?.rssBytes } == kilobytes.map { $0 * 1024 })
        #expect(samples.allSatisfy { $0.processes?.rootPID == 28605 && $0.processes?.largest.first?.name == "python3" })
        #expect(summary.badLineCount == 0)
        #expect(summary.warnings.count == 1)
        #expect(summary.format == .pidstat)
    }

    @Test func pidstatEpochTimesGroupTwoProcesses() throws {
        let (samples, summary) = try Self.collect { try PidstatReader.read(LiveFixtures.path("series/pidstat-r-h-H-two-pids.txt"), $0) }
        #expect(samples.map(\.time) == [1_795_293_802, 1_795_293_803, 1_795_293_804])
        for sample in samples {
            let tree = try #require(sample.processes)
            #expect(tree.processCount == 2)
            #expect(tree.rootPID == 0)
            #expect(tree.rssBytes == Int64(64_688 + 33_984) * 1024)
            #expect(tree.largest.map(\.pid) == [28605, 28606])
        }
        #expect(summary.badLineCount == 0)
        #expect(summary.warnings.isEmpty)
    }

    @Test func pidstatWithoutHSkipsAverages() throws {
        let (samples, summary) = try Self.collect { try PidstatReader.read(LiveFixtures.path("series/pidstat-r-two-pids.txt"), $0) }
        #expect(samples.map(\.time) == [1_795_293_805, 1_795_293_806])
        #expect(samples.allSatisfy { $0.processes?.processCount == 2 })
        #expect(summary.badLineCount == 0)
    }

    @Test func pidstatThreadRowsAreNotCountedTwice() throws {
        let (samples, _) = try Self.collect { try PidstatReader.read(LiveFixtures.path("series/pidstat-r-h-t.txt"), $0) }
        #expect(samples.count == 2)
        #expect(samples.allSatisfy { $0.processes?.processCount == 1 && $0.processes?.rssBytes == Int64(64_688 * 1024) })
    }

    @Test func pidstatBadLinesTwelveHourClockAndMidnight() throws {
        let text = """
            Linux 5.15.0-91-generic (builder) \t01/31/2024 \t_x86_64_\t(8 CPU)
            11:59:58 PM     0      4242   0.00   0.00  123  456  0.1  java
            # Time          UID       PID  minflt/s  majflt/s     VSZ     RSS   %MEM  Command
            11:59:58 PM     0      4242   0.00   0.00  123  1000  0.1  java
            11:59:59 PM     0      4242   0.00   0.00  123  lots  0.1  java
            11:59:59 PM     0      4242   0.00
            12:00:00 AM     0      4242   0.00   0.00  123  2000  0.1  java -jar server.jar
            25:00:00 AM     0      4242   0.00   0.00  123  2000  0.1  java

            """
        let (path, directory) = try Self.temporaryFile("pidstat.txt", text)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (samples, summary) = try Self.collect { try PidstatReader.read(path, $0) }
        let midnight = 1_706_745_600.0  // 2024-02-01T00:00:00Z
        #expect(samples.map(\.time) == [midnight - 2, midnight])
        #expect(samples.map { $0.processes?.rssBytes } == [1_024_000, 2_048_000])
        #expect(samples.last?.processes?.largest.first?.name == "java -jar server.jar")
        #expect(summary.badLines.map(\.line) == [2, 5, 6, 8])
        #expect(summary.badLines.map(\.reason) == [
            "a data line before any header line", "unreadable RSS 'lots'", "expected 9 columns, found 4", "unreadable time '25:00:00 AM'",
        ])
    }

    @Test func pidstatCapturesJoinedTogetherDoNotRollOver() throws {
        let capture = try LiveFixtures.text("series/pidstat-r-h.txt")
        let (path, directory) = try Self.temporaryFile("joined.txt", capture + capture)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (samples, summary) = try Self.collect { try PidstatReader.read(path, $0) }
        let once: [Double] = [1_795_293_799, 1_795_293_800, 1_795_293_801]
        #expect(samples.map(\.time) == once + once)
        #expect(summary.badLineCount == 0)
    }

    @Test(arguments: [
        ("Linux 6.1.0 (h) \t11/21/26 \t_x86_64_", 20_778), ("Linux 6.1.0 (h) \t2026-11-21 \t_x86_64_", 20_778),
        ("Linux 6.1.0 (h) \t21.11.2026 \t_x86_64_", 20_778), ("Linux 6.1.0 (h) \t11/21/2026", 20_778), ("Linux 6.1.0 (h)", nil),
    ] as [(String, Int64?)])
    func pidstatBannerDates(banner: String, day: Int64?) {
        #expect(PidstatReader.bannerDay(Substring(banner)) == day)
    }

    // MARK: cgroup snapshots

    @Test func snapshotFoldersInNaturalOrder() throws {
        let (samples, summary) = try Self.collect { try CgroupSnapshotReader.read(LiveFixtures.path("series/cgroup-snapshots"), $0) }
        #expect(samples.map(\.time) == [1_714_557_600, 1_714_557_601.5, 1_714_557_603])
        #expect(samples.map { $0.cgroup?.usageBytes } == [536_870_912, 805_306_368, 1_073_741_824])
        #expect(samples.allSatisfy { $0.cgroup?.limitBytes == 2_147_483_648 && $0.processes == nil })
        #expect(summary.linesRead == 3)
        #expect(summary.badLineCount == 0)
        #expect(summary.encoding == nil)
    }

    @Test func oneSnapshotTakesTheFolderTime() throws {
        let path = LiveFixtures.path("cgroup-v2/oom-limited")
        let (samples, _) = try Self.collect { try CgroupSnapshotReader.read(path, $0) }
        let modified = try #require(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
        #expect(samples.count == 1)
        #expect(abs((samples.first?.time ?? 0) - modified.timeIntervalSince1970) < 0.001)
        #expect(samples.first?.cgroup?.events?.oomKill == 3)
        let (v1, _) = try Self.collect { try CgroupSnapshotReader.read(LiveFixtures.path("cgroup-v1/oom-killed"), $0) }
        #expect(v1.first?.cgroup?.version == 1)
        #expect(v1.first?.cgroup?.oomKillCount == 1)
    }

    @Test func snapshotFolderWithoutFilesAndDamagedStamp() throws {
        let folder = try LiveFixtures.FakeProc()
        defer { folder.cleanUp() }
        try folder.write("a/memory.current", "10\n")
        try folder.write("a/timestamp", "yesterday\n")
        try folder.write("b/notes.txt", "not a cgroup\n")
        try folder.write("c/memory.current", "30\n")
        try folder.write("c/timestamp", "2024-05-01 10:00:00\n")
        try folder.write("README", "ignored\n")
        let (samples, summary) = try Self.collect { try CgroupSnapshotReader.read(folder.path, $0) }
        #expect(samples.map { $0.cgroup?.usageBytes } == [10, 30])
        #expect(samples.last?.time == 1_714_557_600)
        #expect(summary.badLines.map(\.path) == [folder.path + "/b"])
        #expect(summary.warnings.count == 1)
        #expect(throws: InputError.self) { try CgroupSnapshotReader.read(folder.path + "/b", { _ in }) }
        #expect(throws: InputError.self) { try CgroupSnapshotReader.read(folder.path + "/missing", { _ in }) }
    }

    @Test func naturalOrder() {
        #expect(["10", "2", "1", "b", "a10", "a9", "a09x"].sorted(by: CgroupSnapshotReader.naturalOrder) == ["1", "2", "10", "a9", "a09x", "a10", "b"])
    }

    // MARK: detection

    @Test(arguments: [
        ("series/sample-log.jsonl", MemorySeriesFormat.sampleLog), ("series/sample-log-malformed.jsonl", .sampleLog),
        ("series/pidstat-r-h.txt", .pidstat), ("series/pidstat-r-two-pids.txt", .pidstat), ("series/pidstat-r-h-t.txt", .pidstat),
        ("series/two-column.txt", .twoColumn), ("series/two-column-iso.csv", .twoColumn),
        ("series/cgroup-snapshots", .cgroupSnapshot), ("cgroup-v1/limited", .cgroupSnapshot),
    ])
    func formatIsToldFromTheContent(relative: String, format: MemorySeriesFormat) throws {
        #expect(try MemorySeriesReader.detect(LiveFixtures.path(relative)) == format)
    }

    @Test func pidstatHeaderWithoutBannerIsDetected() {
        let head = "\n# Time UID PID minflt/s majflt/s VSZ RSS %MEM Command\n1700000000 0 1 0 0 1 2 0 init\n"
        #expect(MemorySeriesReader.detect(head: Array(head.utf8)) == .pidstat)
        #expect(MemorySeriesReader.detect(head: []) == .twoColumn)
        #expect(MemorySeriesReader.detect(head: Array("# time rss\n0 1\n".utf8)) == .twoColumn)
    }

    @Test(arguments: [
        "series/sample-log.jsonl", "series/pidstat-r-h-H-two-pids.txt", "series/two-column.txt", "series/cgroup-snapshots",
    ])
    func detectedReadMatchesTheDirectReader(relative: String) throws {
        let path = LiveFixtures.path(relative)
        let (detected, detectedSummary) = try Self.collect { try MemorySeriesReader.read(path, $0) }
        let direct: [MemorySample]
        switch try MemorySeriesReader.detect(path) {
        case .sampleLog: direct = try Self.collect { try SampleLogReader.read(path, $0) }.samples
        case .pidstat: direct = try Self.collect { try PidstatReader.read(path, $0) }.samples
        case .twoColumn: direct = try Self.collect { try TwoColumnSeriesReader.read(path, $0) }.samples
        case .cgroupSnapshot: direct = try Self.collect { try CgroupSnapshotReader.read(path, $0) }.samples
        }
        #expect(detected == direct)
        #expect(!detected.isEmpty)
        #expect(detectedSummary.samples == detected.count)
    }

    @Test(arguments: ["series/pidstat-r-h.txt", "series/two-column.txt", "series/sample-log-malformed.jsonl"])
    func gzipSeriesIsDetectedAndReadTheSame(relative: String) throws {
        let plain = try Data(contentsOf: LiveFixtures.root.appendingPathComponent(relative))
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("series.gz").path
        try TestSupport.gzip(plain).write(to: URL(fileURLWithPath: path))
        let (fromGzip, gzipSummary) = try Self.collect { try MemorySeriesReader.read(path, $0) }
        let (fromPlain, plainSummary) = try Self.collect { try MemorySeriesReader.read(LiveFixtures.path(relative), $0) }
        #expect(fromGzip == fromPlain)
        #expect(gzipSummary.encoding == .gzip)
        #expect(gzipSummary.format == plainSummary.format)
        #expect(gzipSummary.badLines.map(\.line) == plainSummary.badLines.map(\.line))
    }

    @Test func longFileIsReadPastTheSniffedHead() throws {
        let text = (0..<5000).map { "\($0) \($0 * 1024)\n" }.joined()
        let (path, directory) = try Self.temporaryFile("long.txt", text)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (samples, summary) = try Self.collect { try MemorySeriesReader.read(path, $0) }
        #expect(samples.count == 5000)
        #expect(samples.last?.processes?.rssBytes == Int64(4999 * 1024))
        #expect(summary.linesRead == 5000)
    }

    @Test func aFileIsNotASnapshotAndMissingFilesThrow() throws {
        #expect(throws: InputError.self) {
            try MemorySeriesReader.read(LiveFixtures.path("series/two-column.txt"), format: .cgroupSnapshot) { _ in }
        }
        #expect(throws: InputError.self) { try MemorySeriesReader.read("/nonexistent/series.txt") { _ in } }
    }
}
