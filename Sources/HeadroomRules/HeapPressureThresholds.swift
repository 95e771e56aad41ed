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
}
