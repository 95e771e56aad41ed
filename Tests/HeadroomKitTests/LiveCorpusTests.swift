import Foundation
import Testing
import HeadroomKit

/// The recorded live case: a real process tree under a real cgroup limit, sampled until the kernel
/// killed it. Everything is read back from the bundle alone.
@Suite struct LiveCorpusTests {
    static let folder = TestSupport.corpus.appendingPathComponent("cgroup-oom-kill")

    struct Expected: Decodable {
        var cgroupPath: String
        var limitBytes: Int64
        var parentPID: Int
        var parentHeldBytes: Int64
        var victimPID: Int
        var victimName: String
    }

    @Test func theBundleTellsTheWholeStory() throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.folder.appendingPathComponent("expected.json")))
        let bundle = try BundleReader.read(Self.folder.path)
        #expect(bundle.problems.isEmpty, "\(bundle.problems)")
        #expect(bundle.manifest.complete)

        var samples: [MemorySample] = []
        let series = try MemorySeriesReader.read(try #require(bundle.paths(of: .samples).first)) { samples.append($0) }
        #expect(series.badLineCount == 0)
        #expect(samples.count >= 4)
        // The cgroup filled up to its limit; the tree was the parent and its growing child.
        let cgroup = try #require(samples.last?.cgroup)
        #expect(cgroup.version == 1)
        #expect(cgroup.path == expected.cgroupPath)
        #expect(cgroup.limitBytes == expected.limitBytes)
        let peakUsage = samples.compactMap { $0.cgroup?.peakBytes }.max() ?? 0
        #expect(peakUsage >= expected.limitBytes * 9 / 10, "peak \(peakUsage) of limit \(expected.limitBytes)")
        #expect(samples.compactMap { $0.cgroup?.failCount }.max() ?? 0 > 0)
        #expect(samples.contains { $0.processes?.processCount == 2 })
        #expect(samples.first?.processes?.rootPID == expected.parentPID)
        let rss = samples.compactMap { $0.processes?.rssBytes }
        #expect((rss.max() ?? 0) > expected.parentHeldBytes)

        let report = try OOMReportReading.read(paths: bundle.paths(of: .oomReport))
        let kill = try #require(report.kills.first)
        #expect(report.kills.count == 1)
        #expect(kill.victim?.pid == expected.victimPID)
        #expect(kill.victim?.name == expected.victimName)
        #expect(kill.constraint == .memcg)
        #expect(kill.memcg == expected.cgroupPath)
        #expect(kill.limitBytes == expected.limitBytes)
        #expect(kill.classification == .other)
        // With the parent standing in for a server that shared the scope, the child is a test.
        let shared = try OOMReportReading.read(
            paths: bundle.paths(of: .oomReport), context: OOMClassificationContext(serverPIDs: [expected.parentPID]))
        #expect(shared.kills.first?.classification == .testOrAction)
    }
}
