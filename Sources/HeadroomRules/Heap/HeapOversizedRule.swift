import HeadroomAnalysis

/// Flags a maximum heap far above what the server keeps, and names a smaller `-Xmx`.
public struct HeapOversizedRule: Rule {
    public static let description = RuleDescription(
        identifier: "heap.oversized",
        title: "The maximum heap is far larger than the live set",
        rationale: """
            A heap larger than needed is memory the machine cannot give to tests and actions, and it \
            hides growth until it is too late. Fires when the maximum heap is at least 3× the live \
            set (the peak over the command, or after analysis from a baseline) and at least one 256 MiB \
            step above the heap the evidence supports: the heap is the server's term in the memory \
            limit, so every step of unneeded heap is a step of `MemoryMax`. The supported heap is \
            the peak live set × 3 (G1, Parallel, Serial) or × 4 (ZGC, Shenandoah), after "Java \
            Performance" (Hunt & John), which sizes a heap at 3–4× the occupancy after a full GC; \
            never below an `-Xmx` sweep's floor × 1.25, nor 512 MiB. An upper-bound live set only \
            makes the advice more generous.
            """,
        stage: .heap,
        triggeringExamples: [
            RuleExample("the 14 GB story: 14g for a 500 MiB live set", expecting: ["-Xmx1536m"]) {
                $0.heap.configuredMax = .gib(14)
                $0.liveSet.peak = .mib(500)
                $0.heap.collector = Sourced(.g1, source: "example")
            },
            RuleExample("ZGC gets 4×", expecting: ["-Xmx2g"]) {
                $0.heap.effectiveMax = .gib(8)
                $0.liveSet.peak = .mib(500)
                $0.heap.collector = Sourced(.zgc, source: "example")
            },
            RuleExample("a small saving still lowers: every MiB of heap is a MiB of MemoryMax", expecting: ["-Xmx768m"]) {
                $0.heap.configuredMax = .mib(1024)
                $0.liveSet.peak = .mib(200)
            },
            RuleExample("the JVM's default heap against a baseline's analysis live set and sweep floor", expecting: ["-Xmx1g"]) {
                $0.heap.effectiveMax = .mib(6028)
                $0.liveSet.analysisPhase = .mib(272)
                $0.liveSet.sweepFloor = .mib(360)
            },
            RuleExample("never below the sweep floor × 1.25", expecting: ["-Xmx3g"]) {
                $0.heap.configuredMax = .gib(16)
                $0.liveSet.peak = .mib(600)
                $0.liveSet.sweepFloor = .mib(2400)
            },
        ],
        nonTriggeringExamples: [
            RuleExample("heap about 3× the live set") {
                $0.heap.configuredMax = .gib(3)
                $0.liveSet.peak = .gib(1.1)
            },
            RuleExample("3× with less than one rounding step to gain") {
                $0.heap.configuredMax = .mib(768)
                $0.liveSet.peak = .mib(200)
            },
            RuleExample("no live set measured") {
                $0.heap.configuredMax = .gib(14)
            },
        ])

    /// The maximum heap must be at least this many times the live set.
    static let oversizeRatio = 3.0
    /// And at least one rounding step above the supported heap: the heap is the server's term in
    /// the memory limit, so every step of unneeded heap is a step of `MemoryMax`.
    static let minimumSurplusBytes = HeapSizing.roundingStep

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        // A heap under pressure is not oversized, whatever its size says.
        guard !HeapPressureThresholds.isUnderPressure(facts) else { return [] }
        guard let max = facts.heap.max, let live = HeapSizing.liveFigure(facts) ?? facts.liveSet.sweepFloor, live.value > 0,
            Double(max.value) >= Self.oversizeRatio * Double(live.value),
            let supported = HeapSizing.supportedHeap(facts), max.value - supported.bytes >= Self.minimumSurplusBytes
        else { return [] }
        let ratio = Double(max.value) / Double(live.value)
        var evidence: [Finding.Evidence] = [.bytes("maximum heap", max), .bytes("live set", live)]
        if let floor = facts.liveSet.sweepFloor { evidence.append(.bytes("sweep floor", floor)) }
        return [
            Finding(
                rule: Self.description.identifier, severity: .warning,
                summary: "The heap may grow to \(Formatting.bytes(max.value)), \(String(format: "%.1f", ratio))× the \(Formatting.bytes(live.value)) the server keeps; -Xmx\(ByteSize.jvmArgument(supported.bytes)) is enough.",
                detail: "Supported heap: \(supported.basis) = \(Formatting.bytes(supported.bytes)); \(Formatting.bytes(max.value - supported.bytes)) could go to tests and actions instead."
                    + (facts.liveSet.isUpperBound?.value == true ? " The live set was measured after young collections only, so it is an upper bound and this advice errs on the large side." : ""),
                evidence: evidence,
                heap: HeapDecision(.lower, to: supported.bytes, basis: supported.basis))
        ]
    }
}

import Foundation
