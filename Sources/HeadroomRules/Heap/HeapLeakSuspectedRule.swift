import Foundation
import HeadroomAnalysis

/// Flags a live set that keeps growing over time, and holds the heap where it is until the
/// growth is explained.
public struct HeapLeakSuspectedRule: Rule {
    public static let description = RuleDescription(
        identifier: "heap.leak-suspected",
        title: "The live set keeps growing",
        rationale: """
            A live set that only grows across commands is a leak or a cache without bounds: a larger \
            heap only postpones the out-of-memory error, so this rule holds the heap and asks for the \
            evidence that names the culprit (a heap dump on OOM, class histograms). Headroom's own \
            thresholds, chosen to need a clear and lasting trend: the trend line rises, fits the \
            samples with R² ≥ 0.8 (the usual reading of a strong fit), grows more than 20 % over its \
            span (less is within the noise of what one command loads), and rests on at least 4 \
            samples (fewer cannot tell a trend from two different commands). It stays quiet when the \
            peak live set is within 1.2× of the live set after analysis alone: that growth is \
            analysis building the graph, which a command repeats but does not accumulate.
            """,
        stage: .heap,
        triggeringExamples: [
            RuleExample(
                "steady growth over a day of commands",
                expecting: ["35.0 %", "1.20 GiB per hour", "2.0 h", "hold -Xmx", "--heap_dump_on_oom", "GC.class_histogram", "used-heap-size-after-gc"]
            ) {
                $0.liveSet.slopeBytesPerHour = Sourced(1.2 * 1_073_741_824, source: "example")
                $0.liveSet.trendFit = 0.93
                $0.liveSet.growthFraction = 0.35
                $0.liveSet.observations = 12
                $0.liveSet.trendSpanSeconds = 7200.0
                $0.bazel.release = "7.1.0"
            },
            RuleExample("growth well past analysis on 4.2.3, which has no heap dump flag", expecting: ["60.0 %", "hold -Xmx"], rejecting: ["heap_dump_on_oom"]) {
                $0.liveSet.slopeBytesPerHour = Sourced(300 * 1_048_576, source: "example")
                $0.liveSet.trendFit = 0.85
                $0.liveSet.growthFraction = 0.6
                $0.liveSet.observations = 6
                $0.liveSet.analysisPhase = .mib(500)
                $0.liveSet.peak = .mib(1600)
                $0.bazel.release = "4.2.3"
            },
        ],
        nonTriggeringExamples: [
            RuleExample("a noisy trend") {
                $0.liveSet.slopeBytesPerHour = Sourced(1.2 * 1_073_741_824, source: "example")
                $0.liveSet.trendFit = 0.5
                $0.liveSet.growthFraction = 0.35
                $0.liveSet.observations = 12
            },
            RuleExample("growth that is only analysis building the graph") {
                $0.liveSet.slopeBytesPerHour = Sourced(300 * 1_048_576, source: "example")
                $0.liveSet.trendFit = 0.9
                $0.liveSet.growthFraction = 0.5
                $0.liveSet.observations = 8
                $0.liveSet.analysisPhase = .mib(1000)
                $0.liveSet.peak = .mib(1150)
            },
            RuleExample("too few samples to call it a trend") {
                $0.liveSet.slopeBytesPerHour = Sourced(1.2 * 1_073_741_824, source: "example")
                $0.liveSet.trendFit = 0.99
                $0.liveSet.growthFraction = 0.5
                $0.liveSet.observations = 3
            },
        ])

    /// The trend line must fit the samples at least this well (R²).
    static let minimumTrendFit = 0.8
    /// And grow more than this fraction of its start over its span.
    static let minimumGrowthFraction = 0.20
    /// And rest on at least this many samples.
    static let minimumObservations = 4
    /// A peak within this many times the live set after analysis is analysis, not a leak.
    static let analysisAllowance = 1.2

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        let live = facts.liveSet
        // Growth within one command is that command's work (packages loading, a cache filling).
        guard live.seenOverOneCommand?.value != true else { return [] }
        guard let slope = live.slopeBytesPerHour, slope.value > 0, let fit = live.trendFit, fit.value >= Self.minimumTrendFit,
            let growth = live.growthFraction, growth.value > Self.minimumGrowthFraction,
            let observations = live.observations, observations.value >= Self.minimumObservations
        else { return [] }
        var evidence: [Finding.Evidence] = [
            Finding.Evidence("live-set slope", "\(Formatting.bytes(slope.value)) per hour", source: slope.source),
            .percent("live-set growth", growth), .value("trend fit (R²)", fit), .value("live-set samples", observations),
        ]
        var analysisNote = ""
        if let analysis = live.analysisPhase, let peak = live.peak {
            guard Double(peak.value) > Double(analysis.value) * Self.analysisAllowance else { return [] }
            evidence += [.bytes("peak live set", peak), .bytes("live set after analysis", analysis)]
            analysisNote = " The peak of \(Formatting.bytes(peak.value)) is \(String(format: "%.1f", Double(peak.value) / Double(analysis.value)))× "
                + "the \(Formatting.bytes(analysis.value)) analysis alone keeps, more than the \(HeapSizing.format(Self.analysisAllowance))× analysis explains."
        }
        let span = live.trendSpanSeconds.map { " over \(Formatting.duration(seconds: $0.value))" } ?? ""
        let setting = MemoryFlagSettings.heapDumpOnOOM(facts, reason: "a suspected leak: the dump names what fills the heap")
        return [
            Finding(
                rule: Self.description.identifier, severity: .warning,
                summary: "The live set grew \(Formatting.percent(growth.value))\(span) (+\(Formatting.bytes(slope.value)) per hour, R² \(String(format: "%.2f", fit.value)), "
                    + "\(observations.value) samples): a leak is suspected; do not raise the heap.",
                detail: "A live set that keeps growing across commands is a leak or an unbounded cache; a larger heap only delays the out-of-memory exit."
                    + analysisNote + " Find what grows first: compare class histograms taken after successive commands.",
                evidence: evidence, settings: [setting].compactMap { $0 },
                heap: HeapDecision(.hold, to: nil, basis: "live set growing \(Formatting.bytes(slope.value)) per hour; size the heap once the growth is explained"),
                commands: ["jcmd <server pid> GC.class_histogram", "bazel info used-heap-size-after-gc"],
                collect: ["after each command: bazel info used-heap-size-after-gc, and jcmd <server pid> GC.class_histogram to see which classes grow"])
        ]
    }
}
