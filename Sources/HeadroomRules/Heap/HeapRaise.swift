import HeadroomAnalysis

/// The larger heap the collector rules ask for when the collector cannot keep up: the heap the
/// live set supports or half again the current one, whichever is larger, within the memory the
/// machine can give; memory-saving flags instead when there is no room.
package struct HeapRaise {
    /// A starved heap grows by at least half again: Headroom's own step, large enough that the
    /// collector's work changes visibly, small enough to stay within reach of most budgets.
    static let growthFactor = 1.5

    /// The `-Xmx` wanted; nil when nothing is known to size from, or there is no room.
    var decision: HeapDecision?
    /// One clause for a summary: `raise -Xmx from 4g to 6g`.
    var headline: String
    /// How the target was worked out and what the budget allowed, with the numbers.
    var explanation: String
    var evidence: [Finding.Evidence] = []
    /// Memory savings to make instead, when the heap cannot grow.
    var settings: [BazelSetting] = []
    var collect: [String] = []

    init(_ facts: Facts) {
        let current = facts.heap.max
        if let current { evidence.append(.bytes("maximum heap", current)) }
        if let live = facts.liveSet.peak { evidence.append(.bytes("peak live set", live)) }

        var candidates: [(bytes: Int64, basis: String)] = []
        if let supported = HeapSizing.supportedHeap(facts) {
            candidates.append((supported.bytes, "supported heap: \(supported.basis) = \(Formatting.bytes(supported.bytes))"))
        }
        if let current {
            let grown = Int64(Double(current.value) * Self.growthFactor)
            candidates.append((grown, "current \(Formatting.bytes(current.value)) × \(HeapSizing.format(Self.growthFactor)) = \(Formatting.bytes(grown))"))
        }
        guard let wanted = candidates.max(by: { $0.bytes < $1.bytes }) else {
            headline = "measure the heap before sizing it"
            explanation = "Neither the maximum heap nor the live set is known, so how far to raise the heap cannot be worked out."
            collect = [
                "the maximum heap: bazel info max-heap-size",
                "the live set: bazel info used-heap-size-after-gc, right after the command",
            ]
            return
        }
        let target = ByteSize.roundUp(wanted.bytes, to: HeapSizing.roundingStep)
        let basis = (candidates.count > 1 ? "the larger of " + candidates.map(\.basis).joined(separator: " and ") : wanted.basis)
            + ", rounded up to \(Formatting.bytes(HeapSizing.roundingStep)): \(Formatting.bytes(target))"
        let from = current.map { "from \(ByteSize.jvmArgument($0.value)) " } ?? ""

        guard let budget = HeapSizing.heapBudget(facts) else {
            decision = HeapDecision(.raise, to: target, basis: basis)
            headline = "raise -Xmx \(from)to \(ByteSize.jvmArgument(target))"
            explanation = "Target: \(basis). Neither a cgroup limit nor the host's RAM is known: check the machine can hold it."
            collect = ["the memory the server may use: the cgroup's memory.max, else /proc/meminfo"]
            return
        }
        if let limit = facts.cgroup.limit {
            evidence.append(.bytes("cgroup limit", limit))
        } else if let memory = facts.host.memory {
            evidence.append(.bytes("host RAM", memory))
        }
        if target <= budget.bytes {
            decision = HeapDecision(.raise, to: target, basis: basis)
            headline = "raise -Xmx \(from)to \(ByteSize.jvmArgument(target))"
            explanation = "Target: \(basis), within the budget of \(Formatting.bytes(budget.bytes)) (\(budget.basis))."
            return
        }
        // Round down: rounding the budget up would promise memory the machine does not have.
        let capped = budget.bytes / HeapSizing.roundingStep * HeapSizing.roundingStep
        let budgetText = "\(Formatting.bytes(budget.bytes)) (\(budget.basis))"
        if capped > (current?.value ?? 0), capped >= HeapSizing.minimumHeapBytes {
            decision = HeapDecision(.raise, to: capped, basis: "\(basis), capped at the budget of \(budgetText), rounded down")
            headline = "raise -Xmx \(from)to \(ByteSize.jvmArgument(capped)), all the memory budget allows (\(ByteSize.jvmArgument(target)) wanted)"
            explanation = "Target: \(basis). Only \(budgetText) is free for the heap, so the raise stops at \(Formatting.bytes(capped)); "
                + "if the collector still cannot keep up, the build must use less memory."
            return
        }
        let reason = "no room to raise the heap beyond \(Formatting.bytes(budget.bytes))"
        settings = [
            MemoryFlagSettings.discardAnalysisCache(facts, reason: reason),
            MemoryFlagSettings.discardMerkleTrees(facts, reason: reason),
        ].compactMap { $0 }
        headline = "no room to raise -Xmx \(from)to \(ByteSize.jvmArgument(target)) within the budget of \(Formatting.bytes(budget.bytes)): use less memory instead"
        explanation = "Target: \(basis), but only \(budgetText) is free for the heap. "
            + (settings.isEmpty
                ? "The usual memory-saving flags are already set or missing from this release: give the machine more memory or build less at once."
                : "Save memory instead: \(settings.map(\.argument).joined(separator: ", ")).")
    }
}
