import HeadroomRules

/// Judges a proposed `-Xmx` against the evidence: a raise must be called for by signs of a heap
/// too small (and not blocked by a suspected leak); a cut must leave the room the live set needs.
public enum HeapReview {
    /// A proposal within this fraction of the supported heap counts as matching it.
    static let tolerance = 0.10
    /// An explicit heap at least this many times the live set is far above it (as `heap.oversized`).
    static let farAboveRatio = 3.0

    public static func review(_ change: ProposedChange, analysis: AnalysisReport) -> ReviewVerdict {
        let facts = analysis.facts
        let current = change.before?.maxHeapBytes?.value ?? facts.heap.max?.value
        let proposed = change.after.maxHeapBytes?.value
        var verdict = ReviewVerdict(
            verdict: .insufficientEvidence, proposal: change.summary, currentMaxHeapBytes: current, proposedMaxHeapBytes: proposed,
            supportedMaxHeapBytes: nil, reasons: [], evidence: evidence(facts), analysis: analysis)
        guard let proposed else {
            verdict.reasons.append("The change sets no -Xmx; review judges heap changes.")
            return verdict
        }
        let supported = HeapSizing.supportedHeap(facts)
        let plannedHeap = analysis.plan.heap
        let raiseCalledFor = plannedHeap?.action == .raise
        verdict.supportedMaxHeapBytes = raiseCalledFor ? plannedHeap?.targetBytes : (supported?.bytes ?? plannedHeap?.targetBytes)
        if let plannedHeap, plannedHeap.action == .hold {
            verdict.verdict = proposed > (current ?? 0) ? .notJustified : .justified
            verdict.reasons.append("\(plannedHeap.rules.joined(separator: ", ")): \(plannedHeap.basis). A larger heap only postpones the failure; find the growth first.")
            verdict.reasons += analysis.findings.filter { plannedHeap.rules.contains($0.rule) }.map(\.summary)
            return verdict
        }
        guard let target = verdict.supportedMaxHeapBytes else {
            verdict.reasons.append("No live set was measured, so nothing says how much heap the server needs.")
            verdict.reasons += analysis.plan.collect.prefix(2).map { "Collect: \($0)" }
            return verdict
        }
        let isRaise = current.map { proposed > $0 } ?? true
        let slack = Double(target) * tolerance
        if isRaise && !raiseCalledFor {
            verdict.verdict = Double(proposed) <= Double(target) + slack ? .justified : .notJustified
            if verdict.verdict == .notJustified {
                verdict.reasons.append("Nothing shows the heap is too small: no thrashing, no out-of-memory exit, GC time within bounds.")
                verdict.reasons.append("The evidence supports -Xmx\(ByteSize.jvmArgument(target)) (\(supported?.basis ?? plannedHeap?.basis ?? "")); the proposal is \(Formatting.bytes(proposed)), \(String(format: "%.1f", Double(proposed) / Double(target)))× that.")
            } else {
                verdict.reasons.append("The proposal stays within what the live set needs (-Xmx\(ByteSize.jvmArgument(target))).")
            }
        } else if isRaise {
            let signs = analysis.findings.filter { plannedHeap?.rules.contains($0.rule) == true }.map(\.summary)
            verdict.reasons += signs
            if let passed = facts.liveSet.sweepFloor, proposed >= passed.value {
                // A size shown to pass is evidence enough for a raise from one that failed.
                verdict.verdict = .justified
                verdict.reasons.append("The heap is too small, and the proposal is at or above \(Formatting.bytes(passed.value)), a heap the sweep saw pass (\(passed.source)).")
            } else if Double(proposed) + slack >= Double(target) {
                verdict.verdict = .justified
                verdict.reasons.append("The heap is too small and the proposal reaches the -Xmx\(ByteSize.jvmArgument(target)) the evidence calls for.")
            } else {
                verdict.verdict = .raiseTooSmall
                let atLeast = facts.liveSet.isLowerBound?.value == true ? " (the heap stayed full, so the live set it showed is a lower bound)" : ""
                verdict.reasons.append(
                    "The heap is too small and the raise goes the right way, but the evidence supports at least -Xmx\(ByteSize.jvmArgument(target))\(atLeast). "
                        + "Try the proposal with headroom verify or headroom baseline --sweep to show it is enough.")
            }
        } else {
            let floor = supported?.bytes ?? target
            let ceiling = Double(floor) + max(slack, Double(HeapSizing.roundingStep))
            if Double(proposed) + slack < Double(floor) {
                verdict.verdict = .notJustified
                verdict.reasons.append("The smaller heap leaves less than the live set needs (-Xmx\(ByteSize.jvmArgument(floor)): \(supported?.basis ?? "")).")
            } else if supported != nil, !raiseCalledFor, Double(proposed) > ceiling,
                Double(proposed) >= Self.farAboveRatio * Double(HeapSizing.liveFigure(facts)?.value ?? .max)
            {
                // An explicit -Xmx is a choice, whatever the JVM's default was before it.
                verdict.verdict = .notJustified
                verdict.reasons.append(
                    "The proposal sets -Xmx\(ByteSize.jvmArgument(proposed)), \(String(format: "%.1f", Double(proposed) / Double(floor)))× the -Xmx\(ByteSize.jvmArgument(floor)) the evidence supports (\(supported?.basis ?? "")): "
                        + "every MiB of unneeded heap is a MiB of the memory limit.")
            } else {
                verdict.verdict = .justified
                verdict.reasons.append("The smaller heap still leaves the room the live set needs (-Xmx\(ByteSize.jvmArgument(floor))).")
            }
        }
        for file in change.unreadImports { verdict.reasons.append("Not read: \(file) (an import the change names that is not there).") }
        if facts.liveSet.isUpperBound?.value == true {
            verdict.reasons.append("The live set is an upper bound (measured after young collections only).")
        }
        return verdict
    }

    private static func evidence(_ facts: Facts) -> [Finding.Evidence] {
        var items: [Finding.Evidence] = []
        if let max = facts.heap.max { items.append(.bytes("current maximum heap", max)) }
        if let live = facts.liveSet.peak { items.append(.bytes("peak live set", live)) }
        if let analysis = facts.liveSet.analysisPhase { items.append(.bytes("live set after analysis", analysis)) }
        if let gc = facts.gc.timeFraction { items.append(.percent("GC time", gc)) }
        if let full = facts.gc.fullGCTimeFraction { items.append(.percent("full-GC time", full)) }
        if let oom = facts.bazel.outOfMemoryExit, oom.value { items.append(.value("Bazel OOM exit", oom)) }
        return items
    }
}
