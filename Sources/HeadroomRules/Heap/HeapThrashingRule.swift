import HeadroomAnalysis

/// Flags full collections that run back to back and free almost nothing, and names a larger `-Xmx`.
public struct HeapThrashingRule: Rule {
    public static let description = RuleDescription(
        identifier: "heap.thrashing",
        title: "Full collections run back to back and free almost nothing",
        rationale: """
            A full collection that frees less than 5 % of the heap, followed straight away by another, \
            means the live set fills the heap: the JVM spends its time collecting and is close to an \
            out-of-memory error (the 5 % is the GC log analysis's own cut-off for an ineffective \
            collection). Fires on one such back-to-back pair or more. The new heap is worked out as \
            for `heap.undersized`: the larger of the peak live set × 3 (× 4 for ZGC and Shenandoah, \
            after Hunt & John's "Java Performance") and the current maximum × 1.5 (Headroom's own \
            step), rounded up to 256 MiB, within the cgroup limit (else host RAM) less non-heap memory \
            and the tests' peak; memory-saving flags when there is no room.
            """,
        stage: .heap,
        triggeringExamples: [
            RuleExample("two ineffective full GCs in a 2g heap", expecting: ["2 full collections", "-Xmx3g", "from 2g"]) {
                $0.gc.ineffectiveBackToBackFullGCs = 2
                $0.heap.configuredMax = .gib(2)
                $0.liveSet.peak = .gib(1)
                $0.host.memory = .gib(16)
            },
            RuleExample("ZGC: the live set asks for more than 1.5×", expecting: ["-Xmx4g", "× 4"]) {
                $0.gc.ineffectiveBackToBackFullGCs = 1
                $0.heap.effectiveMax = .gib(2)
                $0.liveSet.peak = .gib(1)
                $0.heap.collector = Sourced(.zgc, source: "example")
                $0.host.memory = .gib(16)
            },
        ],
        nonTriggeringExamples: [
            RuleExample("every full GC freed enough") {
                $0.gc.ineffectiveBackToBackFullGCs = 0
                $0.gc.fullGCs = 12
                $0.heap.configuredMax = .gib(2)
            },
            RuleExample("no GC log read") {
                $0.heap.configuredMax = .gib(2)
                $0.liveSet.peak = .gib(1.9)
            },
        ])

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        guard let ineffective = facts.gc.ineffectiveBackToBackFullGCs, ineffective.value >= HeapPressureThresholds.minimumIneffectiveFullGCs else { return [] }
        let raise = HeapRaise(facts)
        var evidence: [Finding.Evidence] = [.value("ineffective back-to-back full GCs", ineffective)]
        if let full = facts.gc.fullGCs { evidence.append(.value("full GCs", full)) }
        return [
            Finding(
                rule: Self.description.identifier, severity: .warning,
                summary: "\(ineffective.value) full \(ineffective.value == 1 ? "collection" : "collections") came right after one that freed less than 5 % of the heap; \(raise.headline).",
                detail: "Back-to-back full collections that free almost nothing mean the live set fills the heap: the server spends its time "
                    + "collecting and is close to an out-of-memory exit. " + raise.explanation,
                evidence: evidence + raise.evidence, settings: raise.settings, heap: raise.decision, collect: raise.collect)
        ]
    }
}
