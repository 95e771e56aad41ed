// Throughput of one streaming analysis (`GCLogAnalysis.run`) over a large GC log, plain and gzip.
//
// Inputs, from the environment (scripts/benchmark.sh sets them):
//   HEADROOM_BENCH_LOG      plain unified GC log (default: the small Corpus/g1-steady/gc.log)
//   HEADROOM_BENCH_LOG_GZ   gzip copy of it (default: HEADROOM_BENCH_LOG + ".gz" when that exists)
//   HEADROOM_BENCH_RESULTS  optional file to which every iteration appends one tab-separated
//                           line: benchmark name, decoded bytes, seconds, pause count
//
// MB/s counts decoded log bytes (`inputs[0].bytesRead`), 1 MB = 10^6 bytes.
import Benchmark
import Foundation
import HeadroomKit

private enum Inputs {
    static let environment = ProcessInfo.processInfo.environment

    /// Repository root, from this file's place: Tests/Benchmarks/Benchmarks/GCLogThroughput/.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // GCLogThroughput
            .deletingLastPathComponent()  // Benchmarks
            .deletingLastPathComponent()  // Tests/Benchmarks
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
    }

    static var plain: String {
        if let path = environment["HEADROOM_BENCH_LOG"], !path.isEmpty { return path }
        return repositoryRoot.appendingPathComponent("Corpus/g1-steady/gc.log").path
    }

    static var gzip: String? {
        if let path = environment["HEADROOM_BENCH_LOG_GZ"], !path.isEmpty { return path }
        let guess = plain + ".gz"
        return FileManager.default.fileExists(atPath: guess) ? guess : nil
    }

    static var results: String? {
        guard let path = environment["HEADROOM_BENCH_RESULTS"], !path.isEmpty else { return nil }
        return path
    }
}

private enum Metrics {
    /// Decoded log megabytes (10^6 bytes) per second, one value per iteration.
    static let decodedMBPerSecond = BenchmarkMetric.custom(
        "Decoded MB/s", polarity: .prefersLarger, useScalingFactor: false)
    /// Decoded log bytes per iteration, to show the input size next to the rate.
    static let decodedMB = BenchmarkMetric.custom(
        "Decoded MB", polarity: .prefersSmaller, useScalingFactor: false)
}

private func appendResult(_ line: String, to path: String) {
    guard let data = line.data(using: .utf8) else { return }
    if !FileManager.default.fileExists(atPath: path) {
        FileManager.default.createFile(atPath: path, contents: nil)
    }
    guard let handle = FileHandle(forWritingAtPath: path) else { return }
    defer { try? handle.close() }
    _ = try? handle.seekToEnd()
    try? handle.write(contentsOf: data)
}

/// One measured analysis of `path`; records MB/s and fails loudly if nothing was parsed.
private func analyse(_ name: String, path: String, benchmark: Benchmark) throws {
    let clock = ContinuousClock()
    let started = clock.now
    let summary = try GCLogAnalysis.run(paths: [path])
    let elapsed = clock.now - started
    blackHole(summary)

    let bytes = summary.inputs.reduce(Int64(0)) { $0 + $1.bytesRead }
    precondition(bytes > 0, "\(path): no bytes read")
    precondition(summary.pauseCount > 0, "\(path): no pause recognised")
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    benchmark.measurement(Metrics.decodedMBPerSecond, Int((Double(bytes) / 1e6 / seconds).rounded()))
    benchmark.measurement(Metrics.decodedMB, Int((Double(bytes) / 1e6).rounded()))
    if let results = Inputs.results {
        appendResult("\(name)\t\(bytes)\t\(seconds)\t\(summary.pauseCount)\n", to: results)
    }
}

let benchmarks: @Sendable () -> Void = {
    // The inputs are hundreds of MB: a handful of iterations is enough, and each one is long.
    Benchmark.defaultConfiguration = .init(
        metrics: [
            .wallClock, .cpuTotal, .throughput, .peakMemoryResident, .mallocCountTotal,
            Metrics.decodedMBPerSecond, Metrics.decodedMB,
        ],
        timeUnits: .milliseconds,
        warmupIterations: 0,
        maxDuration: .seconds(60),
        maxIterations: 5
    )

    let plain = Inputs.plain
    Benchmark("GCLogAnalysis plain") { benchmark in
        try analyse("plain", path: plain, benchmark: benchmark)
    }

    let gzip = Inputs.gzip
    Benchmark(
        "GCLogAnalysis gzip",
        configuration: .init(skip: gzip == nil)
    ) { benchmark in
        try analyse("gzip", path: gzip ?? plain, benchmark: benchmark)
    }
}
