import Foundation
import Testing
import HeadroomKit

extension TestSupport {
    /// Real Bazel 5.x trace profiles from another project's tests, read in place.
    static let sharedBazelProfiles = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/bazel-profiles")
}

/// Bazel 5.x profiles (EngFlow/bazel_invocation_analyzer's test data), read in place.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: TestSupport.sharedBazelProfiles.path), "../shared/bazel-profiles is absent"))
struct TraceProfileConformanceTests {
    /// Figures computed independently with python3's `json` and `gzip` modules (json.loads of the
    /// whole file; phases from the sorted `build phase marker` events, the last one ending at the
    /// largest `ts + dur`; GC pauses and counter samples attributed by their `ts`).
    struct Expected: Sendable, CustomStringConvertible {
        var file: String
        var events: Int
        var byPhase: [String: Int]
        var analysis: (start: Double, end: Double)
        var execution: (start: Double, end: Double)
        var minorGC: (count: Int, totalMicros: Double, maxMicros: Double, analysisCount: Int, executionCount: Int)
        /// `Memory usage (Bazel)`: samples, peak, last, analysis and execution peaks.
        var memory: (samples: Int, peak: Double, last: Double, analysisPeak: Double?, executionPeak: Double?)?
        var actionCount: (samples: Int, peak: Double)?
        var description: String { file }
    }

    static let expected: [Expected] = [
        Expected(
            file: "bazel-profile-Long-Phase-Test.json", events: 9, byPhase: ["M": 1, "X": 1, "i": 7],
            analysis: (34_200_314, 77_059_750), execution: (77_090_175, 727_135_633),
            minorGC: (0, 0, 0, 0, 0), memory: nil, actionCount: nil
        ),
        Expected(
            file: "bazel-profile-with_queuing.json.gz", events: 16342, byPhase: ["M": 188, "X": 12778, "i": 7, "C": 3369],
            analysis: (23_246_012, 166_802_236), execution: (166_855_849, 467_107_054),
            minorGC: (87, 2_020_000, 81000, 42, 39), memory: (467, 848.691, 479.316, 415.121, 848.691), actionCount: (1501, 40)
        ),
        Expected(
            file: "local-jobs-100.json.gz", events: 1603, byPhase: ["M": 176, "X": 1314, "i": 7, "C": 106],
            analysis: (88960, 12_745_012), execution: (12_748_391, 18_538_013),
            minorGC: (8, 53000, 9000, 7, 1), memory: (19, 183.966, 71.65199999999999, 172.0, 183.966), actionCount: (30, 18.125)
        ),
        Expected(
            file: "local-jobs-4.json.gz", events: 1473, byPhase: ["M": 82, "X": 1315, "i": 7, "C": 69],
            analysis: (62267, 2_535_255), execution: (2_538_967, 8_919_861),
            minorGC: (9, 53000, 8000, 7, 2), memory: (9, 189.55, 151.11400000000003, 167.35500000000002, 189.55), actionCount: (33, 4)
        ),
        Expected(
            file: "local-jobs-none.json.gz", events: 1494, byPhase: ["M": 104, "X": 1315, "i": 7, "C": 68],
            analysis: (64304, 1_875_055), execution: (1_878_647, 8_146_569),
            minorGC: (9, 58000, 14000, 7, 2), memory: (9, 190.004, 20.351999999999997, 161.613, 190.004), actionCount: (32, 16)
        ),
        Expected(
            file: "tiny.json.gz", events: 707, byPhase: ["M": 50, "X": 528, "i": 7, "C": 122],
            analysis: (167_886, 880_973), execution: (882_624, 13_959_885),
            minorGC: (10, 43000, 7000, 8, 1), memory: (14, 108.0, 96.01200000000003, nil, 108.0), actionCount: (66, 2)
        ),
    ]

    static let phaseNames = [
        "Launch Blaze", "Initialize command", "Evaluate target patterns", "Load and analyze dependencies", "Prepare for build",
        "Build artifacts", "Complete build",
    ]

    @Test func everyProfileIsInTheTable() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestSupport.sharedBazelProfiles.path).filter { $0.contains(".json") }
        #expect(Set(files) == Set(Self.expected.map(\.file)))
    }

    @Test(arguments: expected)
    func profileMatchesIndependentFigures(_ expected: Expected) throws {
        let path = TestSupport.sharedBazelProfiles.appendingPathComponent(expected.file).path
        let summary = try TraceProfileReader.read(path: path)
        #expect(!summary.partial && summary.syntaxError == nil && summary.warnings.isEmpty)
        #expect(summary.hasTopLevelObject)
        #expect(summary.buildID != nil && summary.outputBase != nil && summary.date != nil)
        // 5.x does not write its version into otherData (that came with about 6.1).
        #expect(summary.bazelVersion == nil)
        #expect(summary.counts.events == expected.events)
        #expect(summary.counts.byPhase == expected.byPhase)
        #expect(summary.counts.malformed == 0 && summary.counts.unknownPhase == 0)
        #expect(summary.phases.map(\.name) == Self.phaseNames)
        #expect(summary.phases.allSatisfy { ($0.durationMicros ?? -1) >= 0 })
        #expect(summary.analysisPhase?.startMicros == expected.analysis.start && summary.analysisPhase?.endMicros == expected.analysis.end)
        #expect(summary.executionPhase?.startMicros == expected.execution.start && summary.executionPhase?.endMicros == expected.execution.end)

        let minor = summary.gcPauses.minor
        #expect(minor.count == expected.minorGC.count && minor.totalMicros == expected.minorGC.totalMicros)
        #expect(minor.maxMicros == expected.minorGC.maxMicros)
        #expect(minor.analysisCount == expected.minorGC.analysisCount && minor.executionCount == expected.minorGC.executionCount)
        #expect(summary.gcPauses.major.count == 0)
        #expect(summary.phases.map(\.gcPauseCount).reduce(0, +) <= minor.count)

        if let memory = expected.memory {
            let stats = try #require(summary.counters.bazelMemoryMB)
            #expect(stats.samples == memory.samples && stats.peak == memory.peak && stats.last == memory.last)
            #expect(stats.analysisPeak == memory.analysisPeak && stats.executionPeak == memory.executionPeak)
            #expect(summary.counters.systemMemoryMB?.samples == memory.samples)
            #expect(summary.counters.bazelCPU?.samples == memory.samples)
            #expect(summary.counters.systemCPU?.samples == memory.samples)
            #expect(summary.bazelMemorySeries.count == memory.samples)
            #expect(summary.bazelMemorySeries.map(\.value).max() == memory.peak)
            // Sane: Bazel's own memory is far below the machine's used memory.
            #expect(stats.peak! < summary.counters.systemMemoryMB!.peak!)
        } else {
            #expect(summary.counters.bazelMemoryMB == nil)
        }
        if let actions = expected.actionCount {
            #expect(summary.counters.actionCount?.samples == actions.samples && summary.counters.actionCount?.peak == actions.peak)
        } else {
            #expect(summary.counters.actionCount == nil)
        }
        #expect(summary.counters.memoryPressureStallLevel == nil && summary.counters.otherNames.isEmpty)
    }

    /// The same summary whatever the buffer size: tokens cut at every possible place agree.
    @Test(arguments: [17, 4099])
    func smallBuffersGiveTheSameSummary(_ bufferSize: Int) throws {
        for expected in Self.expected {
            let path = TestSupport.sharedBazelProfiles.appendingPathComponent(expected.file).path
            let reference = try TraceProfileReader.read(path: path)
            let reader = try InputOpener.open(path).reader
            let small = try TraceProfileReader.read(reader, name: path, bufferSize: bufferSize)
            #expect(small == reference, "\(expected.file)")
        }
    }

    /// A rough throughput figure on the largest profile (decompressed bytes per second).
    @Test func throughputOnTheLargestProfile() throws {
        let path = TestSupport.sharedBazelProfiles.appendingPathComponent("bazel-profile-with_queuing.json.gz").path
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Decompressed once, then repeated inside one event array, so the figure is the parser's.
        let reader = try InputOpener.open(path).reader
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { chunk.deallocate() }
        while case let count = try reader.read(into: chunk), count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
        let text = String(decoding: bytes, as: UTF8.self)
        let start = text.range(of: "\"traceEvents\":[")!.upperBound
        let end = text.range(of: "]", options: .backwards)!.lowerBound
        let events = text[start..<end]
        let copies = 5
        let document = "{\"traceEvents\":[" + Array(repeating: events, count: copies).joined(separator: ",") + "]}"
        let file = directory.appendingPathComponent("big.json")
        try Data(document.utf8).write(to: file)
        let clock = ContinuousClock()
        var summary: TraceProfileSummary?
        let elapsed = try clock.measure { summary = try TraceProfileReader.read(path: file.path) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let megabytes = Double(document.utf8.count) / 1_000_000
        print("trace profile: \(String(format: "%.1f", megabytes)) MB in \(String(format: "%.3f", seconds)) s = \(String(format: "%.0f", megabytes / seconds)) MB/s")
        #expect(summary?.counts.events == 16342 * copies)
        #expect(summary?.gcPauses.minor.count == 87 * copies)
    }
}
