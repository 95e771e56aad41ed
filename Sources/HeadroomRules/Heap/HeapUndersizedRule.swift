import HeadroomAnalysis

/// Flags a heap the collector cannot keep up in, or that ran out, and names a larger `-Xmx`.
public struct HeapUndersizedRule: Rule {
    public static let description = RuleDescription(
        identifier: "heap.undersized",
        title: "The heap is too small for the live set",
        rationale: """
            A heap too small for what the server keeps makes the collector run back to back and, in \
            the end, Bazel exit with code 33 (out of memory). Fires on any of: collection pauses above \
            10 % of the logged time (throughput below 90 %, the usual alarm of GC log analysers); full \
            collections taking at least 5 % of it (the EngFlow invocation analyzer's "major GC" \
            heuristic); the heap more than 85 % full after a full collection (the default of Bazel's \
            own `--skyframe_high_water_mark_threshold`, where it starts dropping state to survive); or \
            Bazel's out-of-memory exit. The new heap is the larger of the heap the live set supports \
            (peak live set × 3, or × 4 for ZGC and Shenandoah, after "Java Performance" by Hunt & \
            John) and the current maximum × 1.5 (Headroom's own step), rounded up to 256 MiB. It stays \
            within the memory budget: the cgroup limit (else host RAM) less the server's non-heap \
            memory and the tests' peak. Without room, it advises `--discard_analysis_cache` and, with \
            remote execution, `--experimental_remote_discard_merkle_trees` instead. Critical after an \
            out-of-memory exit.
            """,
        stage: .heap,
        triggeringExamples: [
            RuleExample("collector busy 14 % of the time in a 4g heap", expecting: ["14.0 %", "-Xmx6g", "from 4g"]) {
                $0.gc.timeFraction = 0.14
                $0.heap.configuredMax = .gib(4)
                $0.liveSet.peak = .gib(1.5)
                $0.heap.collector = Sourced(.g1, source: "example")
                $0.host.memory = .gib(32)
            },
            RuleExample("out-of-memory exit; the cgroup caps the raise", expecting: ["exit code 33", "-Xmx12032m", "all the memory budget allows", "12g wanted"]) {
                $0.bazel.outOfMemoryExit = true
                $0.heap.configuredMax = .gib(8)
                $0.liveSet.peak = .gib(3.5)
                $0.cgroup.limit = .gib(12)
            },
            RuleExample(
                "major GC 6 % with no room left: save memory instead",
                expecting: ["6.00 %", "no room", "--discard_analysis_cache", "--experimental_remote_discard_merkle_trees"]
            ) {
                $0.gc.fullGCTimeFraction = 0.06
                $0.heap.configuredMax = .gib(14)
                $0.liveSet.peak = .gib(9)
                $0.host.memory = .gib(16)
                $0.server.nonHeapOverhead = .gib(2)
                $0.flags.remoteExecutor = "grpc://x"
                $0.bazel.release = "7.1.0"
            },
            RuleExample("92 % full after a full GC, heap unknown: collect evidence", expecting: ["92.0 %", "used-heap-size-after-gc", "max-heap-size"]) {
                $0.gc.occupancyAfterFullGC = 0.92
            },
        ],
        nonTriggeringExamples: [
            RuleExample("a healthy collector") {
                $0.gc.timeFraction = 0.04
                $0.gc.fullGCTimeFraction = 0.01
                $0.gc.occupancyAfterFullGC = 0.6
                $0.bazel.outOfMemoryExit = false
                $0.heap.configuredMax = .gib(4)
            },
            RuleExample("right at the thresholds") {
                $0.gc.timeFraction = 0.10
                $0.gc.fullGCTimeFraction = 0.049
                $0.gc.occupancyAfterFullGC = 0.85
                $0.heap.configuredMax = .gib(4)
            },
            RuleExample("no collector evidence at all") {
                $0.heap.configuredMax = .gib(2)
                $0.liveSet.peak = .gib(1.5)
            },
        ])

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        let (reasons, evidence) = HeapPressureThresholds.signs(facts)
        let outOfMemory = facts.bazel.outOfMemoryExit?.value == true
        guard !reasons.isEmpty else { return [] }
        let raise = HeapRaise(facts)
        let why = reasons.joined(separator: "; ")
        return [
            Finding(
                rule: Self.description.identifier, severity: outOfMemory ? .critical : .warning,
                summary: "The heap is too small: \(why); \(raise.headline).",
                detail: "A heap too small for what the server keeps makes the collector run again and again for little gain, and ends in an out-of-memory exit. "
                    + raise.explanation,
                evidence: evidence + raise.evidence, settings: raise.settings, heap: raise.decision, collect: raise.collect)
        ]
    }
}
