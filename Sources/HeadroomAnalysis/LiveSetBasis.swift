import HeadroomIngest

/// How a live-set figure was obtained, from exact to loose.
public enum LiveSetBasis: String, Codable, Sendable {
    /// Bytes the collector marked live and printed itself (ZGC's `Live:` row).
    case collectorReported = "collector-reported"
    /// Heap occupancy right after a full collection.
    case afterFullGC = "after-full-gc"
    /// Occupancy once a concurrent marking cycle and the collections it enables have run (G1 mixed
    /// phase, CMS after remark, end of a Shenandoah cycle): an upper bound, usually a tight one.
    case endOfCycle = "end-of-cycle"
    /// Occupancy after young collections only: an upper bound that also counts old garbage
    /// (for G1 it can be 1.5–2× the real live set).
    case afterYoungGC = "after-young-gc"

    /// Whether figures of this basis only bound the live set from above.
    public var isUpperBound: Bool { self == .endOfCycle || self == .afterYoungGC }
}
