import HeadroomAnalysis

/// Flags a server that can run out of memory without leaving evidence, and names the flags that
/// make it fail fast with a heap dump.
public struct OOMFailFastRule: Rule {
    public static let description = RuleDescription(
        identifier: "oom.fail-fast",
        title: "An out-of-memory failure would be slow and leave no evidence",
        rationale: """
            When the heap runs out, Bazel can thrash in the collector for minutes before the JVM \
            gives up, and without `--heap_dump_on_oom` (5.0+) nothing tells what filled it. Fires \
            when no heap dump is asked for and either the server runs in CI (where nobody watches a \
            stuck job) or it already came close: Bazel's out-of-memory exit (33), a full collection \
            that freed less than 5 % of the heap followed by another, or the heap more than 85 % full \
            after a full collection (the default of Bazel's `--skyframe_high_water_mark_threshold`). \
            It also turns on Bazel's thrashing detector under its release's name \
            (`--experimental_oom_more_eagerly_threshold` before 7.0, `--gc_thrashing_threshold` \
            from 7.0; 100 is off) at 90 %: Headroom's choice, above the 85 % where Bazel drops state \
            to survive, so the detector ends the command only once that has not helped.
            """,
        triggeringExamples: [
            RuleExample("CI on 7.1", expecting: ["--heap_dump_on_oom", "--gc_thrashing_threshold=90"]) {
                $0.context = Sourced(.ci, source: "example")
                $0.bazel.release = "7.1.0"
            },
            RuleExample(
                "out-of-memory exit on 6.4: the detector's old name", expecting: ["exit code 33", "--heap_dump_on_oom", "--experimental_oom_more_eagerly_threshold=90"],
                rejecting: ["gc_thrashing_threshold"]
            ) {
                $0.bazel.outOfMemoryExit = true
                $0.bazel.release = "6.4.0"
            },
            RuleExample("4.2.3 has no heap dump flag", expecting: ["experimental_oom_more_eagerly_threshold=90", "93.0 %"], rejecting: ["heap_dump_on_oom"]) {
                $0.gc.occupancyAfterFullGC = 0.93
                $0.bazel.release = "4.2.3"
            },
            RuleExample("detector already on: only the heap dump", expecting: ["--heap_dump_on_oom", "1 ineffective"], rejecting: ["threshold=90"]) {
                $0.gc.ineffectiveBackToBackFullGCs = 1
                $0.flags.gcThrashingThreshold = 95
                $0.bazel.release = "7.1.0"
            },
        ],
        nonTriggeringExamples: [
            RuleExample("a healthy workstation") {
                $0.gc.occupancyAfterFullGC = 0.5
                $0.gc.ineffectiveBackToBackFullGCs = 0
                $0.bazel.outOfMemoryExit = false
            },
            RuleExample("CI that already dumps the heap") {
                $0.context = Sourced(.ci, source: "example")
                $0.flags.heapDumpOnOOM = true
            },
        ])

    /// The thrashing detector's threshold to set: percent of the old generation still full.
    static let thrashingThreshold = 90
    /// The detector's value for "off".
    static let detectorOff = 100
    /// The detector's names, newest first (renamed in 7.0).
    static let detectorFlags = ["gc_thrashing_threshold", "experimental_oom_more_eagerly_threshold"]

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        guard facts.flags.heapDumpOnOOM?.value != true else { return [] }
        var reasons: [String] = []
        var evidence: [Finding.Evidence] = []
        if let exit = facts.bazel.outOfMemoryExit, exit.value {
            reasons.append("Bazel ended with exit code 33, out of memory")
            evidence.append(.value("out-of-memory exit", exit))
        }
        if let ineffective = facts.gc.ineffectiveBackToBackFullGCs, ineffective.value >= HeapPressureThresholds.minimumIneffectiveFullGCs {
            reasons.append("\(ineffective.value) ineffective back-to-back full \(ineffective.value == 1 ? "collection" : "collections")")
            evidence.append(.value("ineffective back-to-back full GCs", ineffective))
        }
        if let occupancy = facts.gc.occupancyAfterFullGC, occupancy.value > HeapPressureThresholds.maximumOccupancyAfterFullGC {
            reasons.append("the heap \(Formatting.percent(occupancy.value)) full after a full collection")
            evidence.append(.percent("occupancy after full GC", occupancy))
        }
        let nearMiss = !reasons.isEmpty
        if facts.context.value == .ci {
            reasons.append("a CI job, where a stuck command wastes the whole job")
            evidence.append(.value("context", facts.context))
        }
        guard !reasons.isEmpty else { return [] }

        var settings: [BazelSetting] = []
        if let dump = MemoryFlagSettings.heapDumpOnOOM(facts, reason: "an out-of-memory exit leaves a dump of what filled the heap") {
            settings.append(dump)
        }
        if let threshold = facts.flags.gcThrashingThreshold { evidence.append(.value("thrashing threshold", threshold)) }
        if (facts.flags.gcThrashingThreshold?.value ?? Self.detectorOff) >= Self.detectorOff,
            let detector = FlagSupport(facts).firstAvailable(Self.detectorFlags)
        {
            settings.append(
                .value(.build, detector, String(Self.thrashingThreshold), reason: "end the command once full collections leave the heap \(Self.thrashingThreshold) % full"))
        }
        guard !settings.isEmpty else { return [] }
        return [
            Finding(
                rule: Self.description.identifier, severity: nearMiss ? .warning : .advice,
                summary: "Out of memory, the server would thrash and leave no evidence (\(reasons.joined(separator: "; "))): set \(settings.map(\.argument).joined(separator: " and ")).",
                detail: "Without a heap dump an out-of-memory exit cannot be traced to what filled the heap, and without the thrashing detector "
                    + "the server can spend minutes in back-to-back collections before giving up. The detector at \(Self.thrashingThreshold) % acts "
                    + "only above the \(Formatting.percent(HeapPressureThresholds.maximumOccupancyAfterFullGC)) at which Bazel already drops state to survive.",
                evidence: evidence, settings: settings)
        ]
    }
}
