import Foundation
import Testing
import HeadroomKit

/// `headroom aggregate`: the decaying histogram, the VPA arithmetic, and reading many runs.
@Suite struct AggregateTests {
    static let mib = 1_048_576.0
    static let day = 86_400.0
    static let t0 = 1_790_000_000.0

    static func corpus(_ relative: String) -> String { TestSupport.corpus.appendingPathComponent(relative).path }

    /// The Corpus recordings of real Bazel runs, as `aggregate` is given them.
    static let corpusRuns = [
        "bazel-test-cgroup", "bazel-test-oom-kill/bundle", "bazel-server-outside-scope/bundle", "bazel-analysis-thrashing/bundle", "cgroup-oom-kill",
    ].map(corpus)

    /// A small seeded generator (SplitMix64), so a failing case can be run again.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func run(_ time: Double, live: Double? = nil, rss: Double? = nil, tests: Double? = nil, cgroup: Double? = nil, killedBy: [String] = []) -> RunSummary {
        var run = RunSummary(time: ISOTime.format(epochSeconds: time), timeSource: "test", source: "test")
        run.liveSetPeak = live.map { Int64($0) }
        run.serverRSSPeak = rss.map { Int64($0) }
        run.testsPeak = tests.map { Int64($0) }
        run.cgroupPeak = cgroup.map { Int64($0) }
        run.oomKilledBy = killedBy
        run.oomKilled = !killedBy.isEmpty
        return run
    }

    // MARK: - The histogram

    @Test(arguments: [1, 2, 3, 4])
    func percentilesMatchASortedArrayWithinOneBucket(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        let count = [1, 7, 100, 5000][Int(seed - 1)]
        // Log-uniform from 100 KiB to 64 GiB: the first bucket and the wide ones are both hit.
        let values = (0..<count).map { _ in exp(Double.random(in: log(100 * 1024)...log(64 * 1024 * Self.mib), using: &random)) }
        var histogram = DecayingHistogram()
        for value in values { histogram.add(value, at: Self.t0) }
        let sorted = values.sorted()
        for fraction in [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1.0] {
            let reference = sorted[max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1)]
            let found = try #require(histogram.percentile(fraction))
            let width = DecayingHistogram.bucketWidth(at: reference)
            #expect(found >= reference && found - reference <= width, "P\(fraction * 100) of \(count): \(found) vs \(reference) (bucket \(width))")
        }
        #expect(histogram.totalWeight == Double(count))
    }

    @Test func bucketsStartAtOneMebibyteAndGrowFivePercent() {
        #expect(abs(DecayingHistogram.bucketStart(1) - Self.mib) < 1e-3)
        let ratio = (DecayingHistogram.bucketStart(51) - DecayingHistogram.bucketStart(50)) / (DecayingHistogram.bucketStart(50) - DecayingHistogram.bucketStart(49))
        #expect(abs(ratio - 1.05) < 1e-9)
        #expect(DecayingHistogram.bucketCount < 300, "bounded: \(DecayingHistogram.bucketCount)")
        #expect(DecayingHistogram.bucket(for: 1e15) == DecayingHistogram.bucketCount - 1)
        #expect(DecayingHistogram.bucket(for: -5) == 0)
        for index in [1, 10, 100, 200] {
            #expect(DecayingHistogram.bucket(for: DecayingHistogram.bucketStart(index)) == index)
            #expect(DecayingHistogram.bucket(for: DecayingHistogram.bucketStart(index).nextDown) == index - 1)
        }
        #expect(DecayingHistogram().percentile(0.5) == nil)
    }

    @Test func aHalfLifeHalvesTheWeightOfAnOlderRun() throws {
        var histogram = DecayingHistogram(halfLifeSeconds: Self.day)
        histogram.add(100 * Self.mib, at: Self.t0)
        histogram.add(1024 * Self.mib, at: Self.t0 + Self.day)
        #expect(abs(histogram.totalWeight - 1.5) < 1e-12)
        // Old weighs 0.5, new 1: the median is the newer run's; undecayed it would be the older's.
        #expect(try #require(histogram.percentile(0.5)) > 1000 * Self.mib)
        var undecayed = DecayingHistogram(halfLifeSeconds: Self.day)
        undecayed.add(100 * Self.mib, at: Self.t0)
        undecayed.add(1024 * Self.mib, at: Self.t0)
        #expect(try #require(undecayed.percentile(0.5)) < 110 * Self.mib)
        // Order does not matter, and the weight is seen from the newest run.
        var reversed = DecayingHistogram(halfLifeSeconds: Self.day)
        reversed.add(1024 * Self.mib, at: Self.t0 + Self.day)
        reversed.add(100 * Self.mib, at: Self.t0)
        #expect(abs(reversed.totalWeight - 1.5) < 1e-12)
        #expect(reversed.percentile(0.5) == histogram.percentile(0.5))
        // Two half-lives: a quarter; a thousand half-lives later (rescaled): nothing left.
        histogram.add(1024 * Self.mib, at: Self.t0 + 2 * Self.day)
        #expect(abs(histogram.totalWeight - (0.25 + 0.5 + 1)) < 1e-12)
        histogram.add(1024 * Self.mib, at: Self.t0 + 1000 * Self.day)
        #expect(abs(histogram.totalWeight - 1) < 1e-12)
        #expect(histogram.sampleCount == 4)
    }

    // MARK: - The VPA arithmetic

    @Test func anOOMKilledRunCountsAsMaxOf100MiBMoreOrTwentyPercentMore() throws {
        #expect(AggregateFigure.bumped(100 * Self.mib) == 200 * Self.mib)
        #expect(AggregateFigure.bumped(1000 * Self.mib) == 1200 * Self.mib)
        var aggregator = Aggregator()
        aggregator.add(Self.run(Self.t0, live: 200 * Self.mib, rss: 800 * Self.mib, tests: 1000 * Self.mib, cgroup: 1800 * Self.mib, killedBy: ["kernel:test-or-action/memcg"]), at: Self.t0)
        let figures = Dictionary(uniqueKeysWithValues: aggregator.summary().figures.map { ($0.name, $0) })
        #expect(figures["testsPeak"]?.largestBytes == Int64(1200 * Self.mib))
        #expect(figures["cgroupPeak"]?.largestBytes == Int64(1800 * Self.mib * 1.2))
        #expect(figures["liveSet"]?.largestBytes == Int64(200 * Self.mib), "a test's kill says nothing about the server's heap")
        #expect(figures["serverRSS"]?.oomBumps == 0)
        #expect(aggregator.summary().oomKilledRuns == 1)
        var exit33 = Aggregator()
        exit33.add(Self.run(Self.t0, live: 300 * Self.mib, tests: 50 * Self.mib, killedBy: [RunSummary.bazelOutOfMemoryExit]), at: Self.t0)
        let after33 = Dictionary(uniqueKeysWithValues: exit33.summary().figures.map { ($0.name, $0) })
        #expect(after33["liveSet"]?.largestBytes == Int64(400 * Self.mib))
        #expect(after33["testsPeak"]?.oomBumps == 0)
        #expect(exit33.facts(exit33.summary()).bazel.outOfMemoryExit?.value == true)
    }

    @Test func confidenceGrowsWithRunsAndSpan() {
        let c = { (runs: Int, days: Double) in Aggregator.confidence(runs: runs, spanSeconds: days * Self.day) }
        #expect(c(0, 5) == 0)
        #expect(c(1, 0) > 0, "one run still gives a (small) confidence")
        #expect(c(10, 7) > c(5, 7))
        #expect(c(100, 7) > c(100, 1))
        #expect(c(100, 7) == 7)
        #expect(c(20, 7) == 2)
        // The upper bound narrows as confidence grows; the target does not depend on it.
        func upper(runs: Int, days: Double) -> (target: Int64?, upper: Int64?) {
            var aggregator = Aggregator()
            for index in 0..<runs {
                let time = Self.t0 + days * Self.day * Double(index) / Double(max(runs - 1, 1))
                aggregator.add(Self.run(time, live: 500 * Self.mib), at: time)
            }
            let live = aggregator.summary().figures.first { $0.name == "liveSet" }
            return (live?.targetBytes, live?.upperBytes)
        }
        let few = upper(runs: 3, days: 0.1)
        let many = upper(runs: 200, days: 14)
        #expect(few.target == many.target)
        #expect(few.upper! > 2 * many.upper!)
        #expect(many.upper! < Int64(Double(many.target!) * 1.2))
    }

    @Test func targetIsTheNinetiethPercentilePlusFifteenPercent() throws {
        var aggregator = Aggregator()
        for index in 1...100 { aggregator.add(Self.run(Self.t0, live: Double(index) * 10 * Self.mib), at: Self.t0) }
        let live = try #require(aggregator.summary().figures.first { $0.name == "liveSet" })
        let p90 = Double(try #require(live.targetPercentileBytes))
        #expect(p90 >= 900 * Self.mib && p90 <= 900 * Self.mib + DecayingHistogram.bucketWidth(at: 900 * Self.mib))
        #expect(abs(Double(try #require(live.targetBytes)) - p90 * 1.15) <= 1)
        #expect(abs(Double(try #require(live.lowerBytes)) - Double(try #require(live.lowerPercentileBytes)) * 1.15) <= 1)
        let facts = aggregator.facts(aggregator.summary())
        #expect(facts.liveSet.peak?.value == live.targetBytes)
        #expect(facts.liveSet.peak?.source.contains("P90 × 1.15") == true)
    }

    // MARK: - Reading runs

    @Test func theCorpusRecordingsAggregateIntoAPlan() throws {
        var aggregator = Aggregator()
        aggregator.read(Self.corpusRuns)
        #expect(aggregator.unreadable.isEmpty, "\(aggregator.unreadable)")
        #expect(aggregator.runs == 5)
        let report = aggregator.report(version: "test")
        let summary = try #require(report.aggregate)
        #expect(summary.oomKilledRuns >= 2, "the test kill beside bazel-test-oom-kill/bundle and the cgroup-oom-kill recording")
        #expect(summary.inputs.contains { $0.contains("kernel.log") })
        #expect(report.plan.heap != nil || report.plan.cgroup != nil)
        #expect(report.facts.liveSet.peak != nil && report.facts.server.rssPeak != nil && report.facts.cgroup.testsPeak != nil)
        #expect(!report.isPartial)
        let outputs = [
            AnalysisTextRenderer.render(report), try JSONRenderer.render(report), AnalysisMarkdownRenderer.render(report), AnalysisHTMLRenderer.render(report),
            OpenMetricsRenderer.render(report, labels: MetricLabels(), dialect: .openMetrics), BazelrcFragmentRenderer.render(report),
        ]
        for text in outputs { #expect(text.firstMatch(of: /\b(nan|NaN|inf|Infinity)\b/) == nil) }
        #expect(outputs[0].contains("Aggregate of 5 runs"))
        #expect(outputs[2].contains("### Aggregate of 5 runs"))
        #expect(outputs[3].contains("<h2>Aggregate of 5 runs</h2>"))
        #expect(outputs[3].contains("<th>P90</th>"))
        let decoded = try JSONDecoder().decode(AnalysisReport.self, from: Data(outputs[1].utf8))
        #expect(decoded.aggregate == summary)
        // Every text line fits 80 columns.
        #expect(outputs[0].split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(outputs[0].split(separator: "\n").filter { $0.count > 80 })")
    }

    @Test func aRunSummaryLineRoundTrips() throws {
        var inputs = EvidenceInputs()
        inputs.bundles = [Self.corpus("bazel-test-oom-kill/bundle")]
        inputs.oomReports = [Self.corpus("bazel-test-oom-kill/kernel.log")]
        let summary = RunSummary.make(AnalysisReport.make(inputs, version: "test"), inputs: inputs)
        let line = try summary.jsonLine()
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(summary.time == "2026-11-21T22:44:25.139Z" && summary.timeSource == "endedAt")
        #expect(summary.oomKilled && summary.oomKilledBy == ["kernel:test-or-action/memcg"])
        #expect(summary.workspace == "bazel-test-oom-kill")
        #expect(summary.liveSetPeak != nil && summary.serverRSSPeak != nil && summary.testsPeak != nil && summary.configuredMaxHeap == 512 * 1_048_576)
        #expect(try JSONDecoder().decode(RunSummary.self, from: Data(line.utf8)) == summary)
        // Only the time is required.
        let minimal = try JSONDecoder().decode(RunSummary.self, from: Data(#"{"time":"2026-01-02T03:04:05Z","liveSetPeak":5}"#.utf8))
        #expect(minimal.liveSetPeak == 5 && !minimal.oomKilled)
    }

    @Test func aDamagedLineIsListedWithItsFileAndLine() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("runs.jsonl").path
        let good = try Self.run(Self.t0, live: 300 * Self.mib).jsonLine().trimmingCharacters(in: .newlines)
        let lines = [good, "{\"time\": \"2026-01-0", "  ", #"{"format":"something-else","time":"2026-01-02T00:00:00Z"}"#, #"{"time":"yesterday"}"#, good]
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        var aggregator = Aggregator()
        aggregator.read([file, folder.appendingPathComponent("missing.jsonl").path, Self.corpus("g1-steady/gc.log")])
        #expect(aggregator.runs == 2)
        let unreadable = aggregator.unreadable
        #expect(unreadable.count == 5, "\(unreadable)")
        #expect(unreadable.contains { $0.hasPrefix("\(file):2: not a run summary") })
        #expect(unreadable.contains { $0.hasPrefix("\(file):4: not a run summary") && $0.contains("something-else") })
        #expect(unreadable.contains { $0.hasPrefix("\(file):5: time 'yesterday'") })
        #expect(unreadable.contains { $0.contains("missing.jsonl: not found") })
        #expect(unreadable.contains { $0.contains("gc.log: not a bundle folder") })
        let report = aggregator.report(version: "test")
        #expect(report.isPartial && report.problems == unreadable)
    }

    @Test func aFolderOfBundlesIsSearchedAtAnyDepth() throws {
        let found = Aggregator.bundles(under: TestSupport.corpus.path)
        let names = found.map { String($0.dropFirst(TestSupport.corpus.path.count + 1)) }
        #expect(names.contains("bazel-test-cgroup"))
        #expect(names.contains("bazel-test-oom-kill/bundle"))
        #expect(names.contains("bazel-baseline"))
        #expect(!names.contains { $0.hasPrefix("bazel-baseline/") }, "a bundle's own subfolders are part of it")
        // A fleet folder: machines and days, bundles two and three levels down.
        let fleet = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: fleet) }
        let manager = FileManager.default
        try manager.createDirectory(at: fleet.appendingPathComponent("host-a/day-1"), withIntermediateDirectories: true)
        try manager.createDirectory(at: fleet.appendingPathComponent("host-b"), withIntermediateDirectories: true)
        try manager.copyItem(atPath: Self.corpus("bazel-test-cgroup"), toPath: fleet.appendingPathComponent("host-a/day-1/run-1").path)
        try manager.copyItem(atPath: Self.corpus("bazel-server-outside-scope/bundle"), toPath: fleet.appendingPathComponent("host-b/run-2").path)
        var aggregator = Aggregator()
        aggregator.read([fleet.path])
        #expect(aggregator.runs == 2 && aggregator.unreadable.isEmpty, "\(aggregator.unreadable)")
        var empty = Aggregator()
        empty.read([fleet.appendingPathComponent("host-a/day-1/run-1/bazel-info.txt").path, try TestSupport.temporaryDirectory().path])
        #expect(empty.runs == 0 && empty.unreadable.count == 2)
    }

    /// One table maps a run summary's figures to the facts: a figure added to `RunSummary` but
    /// not to `RunSummaryFigure.all` would be written by no one and read by no one.
    @Test func everySummaryFigureIsInTheMappingTable() {
        let described = Set(["format", "formatVersion", "time", "timeSource", "workspace", "host", "context", "oomKilled", "oomKilledBy", "source"])
        let fields = Mirror(reflecting: RunSummary(time: "t", timeSource: "given", source: "s")).children.compactMap(\.label)
        let mapped = Set(RunSummaryFigure.all.map(\.name))
        #expect(Set(fields).subtracting(described) == mapped)
        for figure in AggregateFigure.allCases {
            #expect(RunSummaryFigure.all.contains { $0.aggregation == .percentile(figure) }, "\(figure) has no summary field")
        }
    }
}
