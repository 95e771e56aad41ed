// Throughput of `headroom aggregate` over a fleet's run summaries: 10 000 `RunSummary` lines
// (as `analyze --emit summary` prints them) written to a temporary .jsonl file, then read,
// decoded, put into the four decaying histograms and planned, as the CLI does.
//
// Inputs, from the environment:
//   HEADROOM_BENCH_RUNS_COUNT  lines to generate (default 10 000)
//   HEADROOM_BENCH_RESULTS     optional file to which every iteration appends one tab-separated
//                              line: benchmark name, runs read, seconds
import Benchmark
import Foundation
import HeadroomKit

private enum Fleet {
    static let count = Int(ProcessInfo.processInfo.environment["HEADROOM_BENCH_RUNS_COUNT"] ?? "") ?? 10_000

    /// A deterministic fleet: runs every ~6 minutes over a month, live sets around 1.5 GiB, one
    /// run in 50 killed by the kernel.
    static func lines(_ count: Int) -> String {
        var state: UInt64 = 42
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        let start = 1_790_000_000.0
        let mib = 1_048_576.0
        var out = ""
        out.reserveCapacity(count * 700)
        for index in 0..<count {
            let time = start + Double(index) * 30 * 86_400 / Double(count)
            var run = RunSummary(time: ISOTime.format(epochSeconds: time), timeSource: "endedAt", source: "fleet/run-\(index)")
            run.workspace = "monorepo"
            run.host = "ci-\(index % 40)"
            run.context = .ci
            run.release = "7.4.1"
            run.collector = .g1
            run.liveSetPeak = Int64((1200 + 600 * next()) * mib)
            run.serverRSSPeak = Int64((3000 + 1000 * next()) * mib)
            run.testsPeak = Int64((2000 + 4000 * next()) * mib)
            run.cgroupPeak = run.serverRSSPeak! + run.testsPeak!
            run.committedHeapPeak = Int64(4096 * mib)
            run.configuredMaxHeap = Int64(8192 * mib)
            run.effectiveMaxHeap = run.configuredMaxHeap
            run.cgroupLimit = Int64(16_384 * mib)
            run.gcTimeFraction = 0.02 * next()
            run.hostMemory = Int64(32_768 * mib)
            run.hostCPUs = 16
            if index % 50 == 0 {
                run.oomKilledBy = ["kernel:test-or-action/memcg"]
                run.oomKilled = true
            }
            out += (try? run.jsonLine()) ?? ""
        }
        return out
    }

    /// The file, written once per process.
    static let file: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-bench-runs-\(ProcessInfo.processInfo.processIdentifier).jsonl").path
        FileManager.default.createFile(atPath: path, contents: Data(lines(count).utf8))
        return path
    }()
}

private func appendResult(_ line: String) {
    guard let path = ProcessInfo.processInfo.environment["HEADROOM_BENCH_RESULTS"], !path.isEmpty else { return }
    if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
    guard let handle = FileHandle(forWritingAtPath: path) else { return }
    defer { try? handle.close() }
    _ = try? handle.seekToEnd()
    try? handle.write(contentsOf: Data(line.utf8))
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal, .memoryLeaked],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(30),
        maxIterations: 10
    )

    let file = Fleet.file
    Benchmark("Aggregate \(Fleet.count) run summaries (.jsonl → plan)") { benchmark in
        let clock = ContinuousClock()
        let started = clock.now
        var aggregator = Aggregator()
        aggregator.read([file])
        let report = aggregator.report(version: "bench")
        let elapsed = clock.now - started
        precondition(aggregator.runs == Fleet.count && aggregator.unreadable.isEmpty, "read \(aggregator.runs) runs: \(aggregator.unreadable.prefix(3))")
        blackHole(report)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        appendResult("jsonl\t\(aggregator.runs)\t\(seconds)\n")
    }

    Benchmark("Histogram: \(Fleet.count) samples into one DecayingHistogram") { benchmark in
        var histogram = DecayingHistogram()
        for index in 0..<Fleet.count {
            histogram.add(Double(1_000_000_000 + index * 37_000), at: 1_790_000_000 + Double(index) * 260)
        }
        blackHole(histogram.percentile(0.9))
    }
}
