/// What kind of collection or pause a log line describes.
public enum GCEventKind: String, Codable, Sendable, CaseIterable {
    case young
    case mixed
    case full
    case remark
    case cleanup
    case initialMark = "initial-mark"
    case markStart = "mark-start"
    case markEnd = "mark-end"
    case relocateStart = "relocate-start"
    case degenerated
    case updateReferences = "update-references"
    case otherPause = "other-pause"
    /// A concurrent collection cycle summary (ZGC, Shenandoah): not a pause.
    case concurrentCycle = "concurrent-cycle"
}

/// Heap occupancy of one memory area around a collection, in bytes.
public struct OccupancyChange: Sendable, Equatable, Codable {
    public var beforeBytes: Int64
    public var afterBytes: Int64
    public var capacityBytes: Int64?

    public init(beforeBytes: Int64, afterBytes: Int64, capacityBytes: Int64?) {
        self.beforeBytes = beforeBytes
        self.afterBytes = afterBytes
        self.capacityBytes = capacityBytes
    }
}

/// One garbage collection (or stop-the-world pause) read from a GC log.
public struct GCEvent: Sendable, Equatable {
    /// Index of the JVM run (segment) the event belongs to; a restart starts a new one.
    public var segment: Int = 0
    /// Seconds since JVM start, when the log has uptime.
    public var uptimeSeconds: Double?
    /// Seconds since the Unix epoch, when the log has wall-clock stamps.
    public var wallTimeSeconds: Double?
    public var gcID: Int?
    public var kind: GCEventKind
    public var isPause: Bool
    public var cause: String?
    public var durationMs: Double?
    public var heap: OccupancyChange?
    public var youngGeneration: OccupancyChange?
    public var oldGeneration: OccupancyChange?
    public var metaspace: OccupancyChange?
    /// Live bytes the collector itself reported for this cycle (ZGC).
    public var reportedLiveBytes: Int64?
    /// G1 to-space exhausted / evacuation failure, or a promotion failure.
    public var evacuationFailure: Bool = false
    /// A G1 pause that starts concurrent marking.
    public var startsConcurrentCycle: Bool = false
    /// Where the event was read.
    public var location: SourceLocation

    public init(kind: GCEventKind, isPause: Bool, location: SourceLocation) {
        self.kind = kind
        self.isPause = isPause
        self.location = location
    }
}
