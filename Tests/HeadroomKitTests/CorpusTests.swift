import Foundation
import Testing
import HeadroomKit

/// The project's own Corpus: real logs of a workload with a known live set, written by the JDK
/// here, each with the figures its design and the JVM itself give (`expected.json`).
///
/// `HEADROOM_CORPUS_UNDER_TEST` points the same checks at a Corpus generated afresh, so the
/// parser is held to what the installed JDK writes today, not only to the committed files.
@Suite struct CorpusTests {
    static var corpusUnderTest: URL {
        if let override = ProcessInfo.processInfo.environment["HEADROOM_CORPUS_UNDER_TEST"] {
            return URL(fileURLWithPath: override)
        }
        return TestSupport.corpus
    }

    static func cases() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpusUnderTest.path)) ?? []
        // GC-log cases: an expected.json beside gc.log files (live-evidence cases are bundles).
        return names.filter { name in
            let folder = corpusUnderTest.appendingPathComponent(name)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return files.contains("expected.json") && files.contains { $0.hasPrefix("gc.log") }
        }.sorted()
    }

    /// The fields of `expected.json` the checks use.
    struct Expected: Decodable {
        var collector: String
        var maxHeapBytes: Int64?
        var designedLiveBytes: Int64?
        var designedLiveStartBytes: Int64?
        var designedLiveEndBytes: Int64?
        var designedMediumLivedBytes: Int64?
        var leak: Bool
        var expectOutOfMemory: Bool
        var jvmRestarts: Int
        var logSelection: String?
        var files: [String]
    }

    static let mebibyte: Int64 = 1 << 20

    @Test func theCorpusHasItsCases() {
        #expect(Self.cases().count >= 10, "cases found in \(Self.corpusUnderTest.path): \(Self.cases())")
    }

    @Test(arguments: cases())
    func figuresMatchTheWorkloadsDesign(caseName: String) throws {
        let folder = Self.corpusUnderTest.appendingPathComponent(caseName)
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: folder.appendingPathComponent("expected.json")))
        let summary = try GCLogAnalysis.run(paths: [folder.path])

        #expect(summary.collector.rawValue == expected.collector)
        #expect(summary.coverage.unrecognizedCount == 0, "\(summary.coverage.unrecognized.prefix(3))")
        #expect(summary.segments.count == expected.jvmRestarts + 1)
        #expect(summary.inputs.map { URL(fileURLWithPath: $0.path).lastPathComponent } == expected.files)
        #expect(summary.pauseCount > 0)
        #expect(!summary.isPartial)
        if expected.logSelection?.contains("gc*") == true {
            #expect(summary.maxHeapBytes == expected.maxHeapBytes)
        }

        let live = try #require(summary.liveSet)
        let designed = expected.designedLiveEndBytes ?? expected.designedLiveBytes ?? 0
        let designedWithMediumLived = designed + (expected.designedMediumLivedBytes ?? 0)
        // Never below what the workload keeps reachable (3 % for rounding in the log's units).
        #expect(Double(live.peakBytes) >= Double(designed) * 0.97, "peak \(live.peakBytes) under designed \(designed)")
        if !live.isUpperBound {
            // An exact figure: within the JVM's own overhead of the design.
            #expect(live.peakBytes <= designedWithMediumLived + designedWithMediumLived / 8 + 24 * Self.mebibyte,
                "peak \(live.peakBytes) vs designed \(designedWithMediumLived)")
        }
        if let max = expected.maxHeapBytes { #expect(live.peakBytes <= max) }

        if expected.leak {
            let slope = try #require(live.slopeBytesPerHour)
            #expect(slope > 0)
            #expect((live.slopeGoodnessOfFit ?? 0) > 0.9)
            #expect((live.growthFraction ?? 0) > 0.2)
        } else if let growth = live.growthFraction, let fit = live.slopeGoodnessOfFit {
            #expect(!(growth > 0.2 && fit > 0.8), "a steady workload looks like a leak: growth \(growth), R² \(fit)")
        }

        if expected.expectOutOfMemory {
            #expect(summary.thrashing.ineffectiveBackToBackFullGCs > 0)
            #expect((summary.thrashing.maxOccupancyAfterFullGCFraction ?? 0) > 0.85)
            #expect(summary.fullGCCount >= 3)
        } else {
            #expect(summary.thrashing.ineffectiveBackToBackFullGCs == 0)
        }
    }

    @Test func aRotatedSetReadsTheSameInAnyOrderGiven() throws {
        let folder = Self.corpusUnderTest.appendingPathComponent("g1-rotated")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("gc.log") }
        #expect(files.count >= 3)
        let inOrder = try GCLogAnalysis.run(paths: [folder.path])
        let shuffled = try GCLogAnalysis.run(paths: files.shuffled().map { folder.appendingPathComponent($0).path })
        #expect(shuffled.inputs.map(\.path) == inOrder.inputs.map(\.path))
        #expect(shuffled.pauseCount == inOrder.pauseCount)
        #expect(shuffled.segments.count == 1)
    }

    @Test func gzipAndPlainCopiesAgree() throws {
        let plain = try GCLogAnalysis.run(paths: [TestSupport.corpus.appendingPathComponent("g1-steady/gc.log").path])
        let compressed = try TestSupport.analyze(data: TestSupport.gzip(Data(contentsOf: TestSupport.corpus.appendingPathComponent("g1-steady/gc.log"))), name: "gc.log.gz")
        #expect(compressed.pauseCount == plain.pauseCount)
        #expect(compressed.liveSet == plain.liveSet)
        #expect(compressed.pauseTotalMs == plain.pauseTotalMs)
    }
}
