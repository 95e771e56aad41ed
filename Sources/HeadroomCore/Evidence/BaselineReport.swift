/// The analysis-phase baseline of a workspace (`bazel build --nobuild`), and, with a sweep, the
/// smallest `-Xmx` at which analysis still completes without thrashing.
public struct BaselineReport: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// How one run went.
    public enum Result: String, Sendable, Codable, Equatable {
        case passed
        /// Finished, but with GC time or wall time far above the roomiest run.
        case thrashing
        /// Bazel's own OOM (exit 33) or a kernel kill.
        case outOfMemory = "out-of-memory"
        case failed
    }

    /// One run of the analysis, with its heap setting.
    public struct Step: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var index: Int
        /// The `-Xmx` given, or nil for the heap as configured.
        public var maxHeapBytes: Int64?
        public var result: Result
        public var exitStatus: Int32?
        public var wallSeconds: Double
        public var gcTimeFraction: Double?
        public var pauseCount: Int
        public var fullGCCount: Int
        /// `bazel info used-heap-size-after-gc` (forces a full collection), bytes.
        public var liveBytes: Int64?
        public var committedBytes: Int64?
        /// `bazel info max-heap-size`: the heap the JVM really had.
        public var effectiveMaxHeapBytes: Int64?
        /// The server's peak RSS (`VmHWM`) while sampled.
        public var serverPeakRSSBytes: Int64?
        /// The step's own bundle, relative to the baseline's folder.
        public var bundle: String

        package init(index: Int, maxHeapBytes: Int64? = nil, result: Result, exitStatus: Int32? = nil, wallSeconds: Double, gcTimeFraction: Double? = nil, pauseCount: Int, fullGCCount: Int, liveBytes: Int64? = nil, committedBytes: Int64? = nil, effectiveMaxHeapBytes: Int64? = nil, serverPeakRSSBytes: Int64? = nil, bundle: String) {
            self.index = index
            self.maxHeapBytes = maxHeapBytes
            self.result = result
            self.exitStatus = exitStatus
            self.wallSeconds = wallSeconds
            self.gcTimeFraction = gcTimeFraction
            self.pauseCount = pauseCount
            self.fullGCCount = fullGCCount
            self.liveBytes = liveBytes
            self.committedBytes = committedBytes
            self.effectiveMaxHeapBytes = effectiveMaxHeapBytes
            self.serverPeakRSSBytes = serverPeakRSSBytes
            self.bundle = bundle
        }
    }

    public var targets: [String]
    public var steps: [Step] = []
    /// The smallest `-Xmx` that passed, when a sweep ran.
    public var floorBytes: Int64?
    public var notes: [String] = []

    public init(targets: [String]) {
        self.targets = targets
    }
}
