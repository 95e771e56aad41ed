import HeadroomIngest

/// The evidence over time, thinned for charts (a few hundred points a series): what the HTML
/// report draws. Each source keeps its own time axis, in seconds from its start.
public struct ChartData: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// One GC log (or set of rotated logs) over the JVM's uptime.
    public struct GCLog: Sendable, Codable, Equatable, ExplicitNullEncoding {
        /// `execution` (the command measured) or `analysis` (an analysis-only run).
        public var role: String
        public var source: String
        /// The `-Xmx` the log names.
        public var maxHeapBytes: Int64?
        public var series: GCSeries
        /// Live-set observations, bytes, and how they were taken.
        public var liveSet: [PointSeries.Point]
        public var liveSetBasis: String?
        /// The live set's fitted trend: its two ends.
        public var liveSetTrend: [PointSeries.Point]
    }

    /// A memory series: the server, its cgroup, the tests beside it.
    public struct Samples: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var source: String
        /// The first sample's time, seconds since the epoch: time 0 of this series.
        public var startEpochSeconds: Double?
        public var serverRSS: [PointSeries.Point]
        public var cgroupUsage: [PointSeries.Point]
        /// Cgroup usage (or the process tree's RSS) minus the server's RSS: tests and actions.
        public var tests: [PointSeries.Point]
        /// `memory.max` / `memory.limit_in_bytes`, when set.
        public var limitBytes: Int64?
        /// When the cgroup's OOM-kill counter went up, or a kernel-log kill with a wall clock
        /// falls in the series; seconds on this series' axis.
        public var oomKillSeconds: [Double]
    }

    /// One run of a baseline sweep.
    public struct SweepStep: Sendable, Codable, Equatable, ExplicitNullEncoding {
        /// The `-Xmx` given; nil for the heap as configured.
        public var maxHeapBytes: Int64?
        /// The heap the JVM really had, when known.
        public var effectiveMaxHeapBytes: Int64?
        public var wallSeconds: Double
        public var gcTimeFraction: Double?
        public var result: String
    }

    public var gcLogs: [GCLog] = []
    public var samples: [Samples] = []
    public var sweep: [SweepStep] = []
    /// Kernel-log OOM kills with a wall clock, seconds since the epoch.
    public var oomKillEpochSeconds: [Double] = []

    public init() {}

    /// Nothing to draw.
    public var isEmpty: Bool { gcLogs.isEmpty && samples.isEmpty && sweep.isEmpty }
}
