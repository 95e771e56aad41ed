import Foundation
import Testing
import HeadroomKit

/// The Bazel Corpus cases, recorded by `Corpus/generate-bazel.sh` with the Bazel here, read back
/// from their bundles alone.
@Suite struct BazelCorpusTests {
    static let corpus = TestSupport.corpus

    @Test func theBaselineBundleHoldsASweep() throws {
        let bundle = try BundleReader.read(Self.corpus.appendingPathComponent("bazel-baseline").path)
        #expect(bundle.problems.isEmpty, "\(bundle.problems)")
        let report = try JSONDecoder().decode(BaselineReport.self, from: Data(contentsOf: URL(fileURLWithPath: try #require(bundle.paths(of: .baseline).first))))
        let roomy = try #require(report.steps.first)
        #expect(roomy.result == .passed)
        let live = try #require(roomy.liveBytes)
        #expect(live > 10 << 20)
        #expect(report.steps.count >= 3)
        let floor = try #require(report.floorBytes)
        #expect(floor > live)
        for step in report.steps {
            // Each step is a bundle of its own, with the server's GC log and samples.
            let stepBundle = try BundleReader.read(bundle.folder + "/" + step.bundle)
            let gc = try GCLogAnalysis.run(paths: stepBundle.paths(of: .gcLog))
            #expect(gc.pauseCount == step.pauseCount)
            #expect(gc.explicitFullGCCount >= 1, "bazel info used-heap-size-after-gc forces a full collection")
            if let heap = step.maxHeapBytes {
                #expect(gc.maxHeapBytes.map { abs($0 - heap) <= 16 << 20 } == true)
            }
        }
    }

    @Test func theTestBundleMeasuredServerAndTestsInOneCgroup() throws {
        let folder = Self.corpus.appendingPathComponent("bazel-test-cgroup").path
        let bundle = try BundleReader.read(folder)
        #expect(bundle.problems.isEmpty, "\(bundle.problems)")
        let facts = try JSONDecoder().decode(RecordFacts.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/record.json")))
        #expect(facts.exitStatus == 0)
        #expect(facts.serverInsideScope == true)
        var largestTest: Int64 = 0
        var anon: [Int64] = []
        _ = try MemorySeriesReader.read(try #require(bundle.paths(of: .samples).first)) { sample in
            for process in sample.processes?.largest ?? [] where process.name == "python3" {
                largestTest = max(largestTest, process.rssBytes)
            }
            if let bytes = sample.cgroup?.stat?.anonBytes { anon.append(bytes) }
        }
        #expect(largestTest >= 60 << 20)
        #expect((anon.max() ?? 0) - (anon.min() ?? 0) >= 60 << 20)
        #expect(try GCLogAnalysis.run(paths: bundle.paths(of: .gcLog)).pauseCount > 0)
        #expect(bundle.paths(of: .traceProfile).count == 1)
    }
}
