import HeadroomAnalysis

/// The signs of a heap under pressure, shared by every rule that reads them (`heap.undersized`,
/// `heap.thrashing`, `oom.fail-fast`), so that two rules cannot disagree on what "too full" is.
public enum HeapPressureThresholds {
    /// Collection pauses above this share of the time: throughput below 90 %.
    public static let maximumGCTimeFraction = 0.10
    /// Full collections taking at least this share of the time (EngFlow's "major GC" heuristic).
    public static let fullGCTimeFractionLimit = 0.05
    /// Heap occupancy after a full collection above this (Bazel's high-water mark default, 85).
    public static let maximumOccupancyAfterFullGC = 0.85
    /// Back-to-back ineffective full collections that make the heap too small: one is already
    /// the JVM on the edge of an out-of-memory error.
    public static let minimumIneffectiveFullGCs = 1

    /// The signs of pressure in `facts`, each a reason in words with its evidence: Bazel's
    /// out-of-memory exit, GC time, full-GC time, occupancy after full collections, and
    /// back-to-back ineffective full collections. Empty when the heap shows none.
    public static func signs(_ facts: Facts) -> (reasons: [String], evidence: [Finding.Evidence]) {
        var reasons: [String] = []
        var evidence: [Finding.Evidence] = []
        if let exit = facts.bazel.outOfMemoryExit, exit.value {
            reasons.append("Bazel ended with exit code 33, out of memory")
            evidence.append(.value("out-of-memory exit", exit))
        }
        if let time = facts.gc.timeFraction, time.value > maximumGCTimeFraction {
            reasons.append("the collector took \(Formatting.percent(time.value)) of the time (limit \(Formatting.percent(maximumGCTimeFraction)))")
            evidence.append(.percent("GC time", time))
        }
        if let full = facts.gc.fullGCTimeFraction, full.value >= fullGCTimeFractionLimit {
            reasons.append("full collections took \(Formatting.percent(full.value)) of the time (limit \(Formatting.percent(fullGCTimeFractionLimit)))")
            evidence.append(.percent("full GC time", full))
        }
        if let occupancy = facts.gc.occupancyAfterFullGC, occupancy.value > maximumOccupancyAfterFullGC {
            reasons.append("the heap was \(Formatting.percent(occupancy.value)) full after a full collection (limit \(Formatting.percent(maximumOccupancyAfterFullGC)))")
            evidence.append(.percent("occupancy after full GC", occupancy))
        }
        return (reasons, evidence)
    }

    /// Whether the heap shows any sign of being too small, thrashing included: a heap under
    /// pressure is never called oversized, so one plan never argues both ways.
    public static func isUnderPressure(_ facts: Facts) -> Bool {
        if !signs(facts).reasons.isEmpty { return true }
        return (facts.gc.ineffectiveBackToBackFullGCs?.value ?? 0) >= minimumIneffectiveFullGCs
    }
}
