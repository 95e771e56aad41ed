import HeadroomIngest

/// Everything one analysis of a set of GC logs found: the stable JSON of `headroom gc`.
public struct GCLogSummary: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// Pause-time percentiles in milliseconds.
    public struct Percentiles: Sendable, Codable, Equatable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var max: Double
    }

    /// The busiest stretch of the log: GC pause time over a sliding window.
    public struct WindowedGCFraction: Sendable, Codable, Equatable {
        public var windowSeconds: Double
        public var fraction: Double
        public var endsAtSeconds: Double
    }

    /// Signs that the heap is too small for what the program keeps.
    public struct Thrashing: Sendable, Codable, Equatable, ExplicitNullEncoding {
        /// Full collections right after another full collection that freed less than 5 % of the heap.
        public var ineffectiveBackToBackFullGCs: Int
        public var firstAt: SourceLocation?
        /// Highest occupancy after a full collection forced by the heap, as a fraction of the
        /// heap's capacity at that collection.
        public var maxOccupancyAfterFullGCFraction: Double?
        /// The same occupancy in bytes, to compare with the configured maximum heap.
        public var maxOccupancyAfterFullGCBytes: Int64?
    }

    /// One JVM run found in the input.
    public struct Segment: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var index: Int
        public var startsAt: SourceLocation?
        public var reason: String
        public var collector: Collector
        public var jvmVersion: String?
        public var maxHeapBytes: Int64?
        public var firstUptimeSeconds: Double?
        public var lastUptimeSeconds: Double?
        public var pauseCount: Int
    }

    /// One input file as read.
    public struct Input: Sendable, Codable, Equatable {
        public var path: String
        public var encoding: String
        public var bytesRead: Int64
        public var linesRead: Int
        public var isPartial: Bool
        public var warnings: [String]
    }

    /// Version of this JSON's layout; fields are only ever added within a version.
    public var schemaVersion = 1
    public var tool = "headroom"
    public var toolVersion = HeadroomVersion.current
    public var inputs: [Input] = []
    /// True when some input could not be read to its end; figures cover what was read.
    public var isPartial = false
    public var collector: Collector = .unknown
    public var jvmVersion: String?
    /// The configured maximum heap (`-Xmx`), from the log's header or the JVM's flags.
    public var maxHeapBytes: Int64?
    public var regionSizeBytes: Int64?
    public var cpus: Int?
    public var hostMemoryBytes: Int64?
    /// Highest heap capacity (committed) seen after a collection.
    public var heapCommittedPeakBytes: Int64?
    /// Highest heap occupancy seen before a collection.
    public var heapUsedPeakBytes: Int64?
    public var firstUptimeSeconds: Double?
    public var lastUptimeSeconds: Double?
    public var firstWallTime: String?
    public var lastWallTime: String?
    /// Seconds of JVM time the events cover, summed over runs.
    public var spanSeconds: Double?
    public var pauseCount = 0
    public var fullGCCount = 0
    /// Full collections someone asked for (System.gc(), heap dump, jcmd); included in `fullGCCount`.
    public var explicitFullGCCount = 0
    public var pauseTotalMs = 0.0
    /// Pause time of full collections the heap forced (explicit ones left out): the "major GC"
    /// time that says a heap is too small.
    public var heapFullGCPauseTotalMs = 0.0
    /// Pause time of the full collections someone asked for.
    public var explicitFullGCPauseTotalMs = 0.0
    public var pausePercentilesMs: Percentiles?
    /// Pause time over the span; nil when the span is unknown.
    public var gcTimeFraction: Double?
    /// Pause time without the explicit full collections, over the span: the GC time the heap's
    /// size is answerable for; nil when the span is unknown.
    public var heapGCTimeFraction: Double?
    /// `heapFullGCPauseTotalMs` over the span; nil when the span is unknown.
    public var heapFullGCTimeFraction: Double?
    public var maxWindowGCFraction: WindowedGCFraction?
    public var liveSet: LiveSetSummary?
    public var allocationRateBytesPerSecond: Double?
    public var promotionRateBytesPerSecond: Double?
    public var thrashing = Thrashing(ineffectiveBackToBackFullGCs: 0)
    public var evacuationFailures = 0
    public var concurrentCycles = 0
    public var eventCounts: [String: Int] = [:]
    public var coverage = LineCoverage()
    /// JVM runs found; `segments` lists the first 99 and the latest when there are more.
    public var segmentCount = 0
    public var segments: [Segment] = []
    public var warnings: [String] = []
    /// The figures over time, thinned for charts; nil in summaries made before charts existed.
    public var series: GCSeries?

    public init() {}
}
