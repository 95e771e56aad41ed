import HeadroomCore

/// What one Bazel JSON trace profile says about memory: phases, GC pauses and counters.
///
/// Times are the profile's own microseconds (`ts`), counted from the start of the command;
/// memory counters are in MB as Bazel writes them.
public struct TraceProfileSummary: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// One build phase, from its marker to the next marker (or the end of the profile).
    public struct Phase: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var name: String
        public var startMicros: Double
        public var durationMicros: Double?
        /// GC pauses that started in this phase.
        public var gcPauseCount: Int
        public var gcPauseMicros: Double
        /// Highest `Memory usage (Bazel)` sample in this phase.
        public var bazelMemoryPeakMB: Double?
    }

    /// A stretch of the profile.
    public struct Span: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var startMicros: Double
        /// The next marker, or the end of the profile; nil when no event came after the marker.
        public var endMicros: Double?
        public var durationMicros: Double?

        package init(startMicros: Double, endMicros: Double? = nil, durationMicros: Double? = nil) {
            self.startMicros = startMicros
            self.endMicros = endMicros
            self.durationMicros = durationMicros
        }
    }

    /// GC pauses of one kind (`minor GC` or `major GC`).
    public struct PauseStats: Sendable, Codable, Equatable {
        public var count: Int = 0
        public var totalMicros: Double = 0
        public var maxMicros: Double = 0
        /// Pauses that started in the analysis phase, and their total.
        public var analysisCount: Int = 0
        public var analysisMicros: Double = 0
        /// Pauses that started in the execution phase, and their total.
        public var executionCount: Int = 0
        public var executionMicros: Double = 0
    }

    public struct GCPauses: Sendable, Codable, Equatable {
        public var minor = PauseStats()
        public var major = PauseStats()
    }

    /// One counter series (`ph:"C"`).
    public struct CounterStats: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var samples: Int = 0
        public var peak: Double?
        public var peakAtMicros: Double?
        /// The sample with the latest `ts`.
        public var last: Double?
        public var lastAtMicros: Double?
        public var analysisPeak: Double?
        public var executionPeak: Double?
    }

    /// The counters Bazel writes about itself and the machine.
    public struct Counters: Sendable, Codable, Equatable, ExplicitNullEncoding {
        /// `Memory usage (Bazel)`, `args.memory`: heap + non-heap used, MB (5.0+).
        public var bazelMemoryMB: CounterStats?
        /// `Memory usage (total)`, `args."system memory"`: the machine's used memory, MB.
        public var systemMemoryMB: CounterStats?
        /// `CPU usage (Bazel)` (4.x: `cpu counters`), `args.cpu`, cores.
        public var bazelCPU: CounterStats?
        /// `CPU usage (total)`, `args."system cpu"`, cores.
        public var systemCPU: CounterStats?
        /// `action count` (4.x: `action counters`), `args.action`.
        public var actionCount: CounterStats?
        /// `Memory pressure stall level` (7.0+).
        public var memoryPressureStallLevel: CounterStats?
        /// Names of other counter series seen (at most 32).
        public var otherNames: [String] = []
    }

    /// How many events were read, by kind.
    public struct EventCounts: Sendable, Codable, Equatable {
        public var events: Int = 0
        /// Events by `ph` value.
        public var byPhase: [String: Int] = [:]
        /// Values that were not event objects, or events with a member of the wrong type.
        public var malformed: Int = 0
        /// Events without `ph`, or with a `ph` the Chrome trace format does not define.
        public var unknownPhase: Int = 0
    }

    /// The file (or stream) read.
    public var source: String
    /// The bytes end before the profile does (cut mid-event, truncated gzip, or bad JSON later on).
    public var partial: Bool
    /// Where the JSON stopped being valid, when it did; the events before it were kept.
    public var syntaxError: TraceProfileSyntaxError?
    /// Problems met that did not stop reading.
    public var warnings: [String]
    /// `true` for `{"otherData":…,"traceEvents":[…]}`, `false` for a bare array of events.
    public var hasTopLevelObject: Bool

    /// `otherData.bazel_version` (about 6.1+).
    public var bazelVersion: String?
    public var buildID: String?
    public var outputBase: String?
    public var date: String?
    /// `otherData.profile_start_ts`, as written.
    public var profileStartTimestamp: Double?

    /// Build phases in time order.
    public var phases: [Phase]
    /// `Load and analyze dependencies` (or the merged analysis-and-execution phase).
    public var analysisPhase: Span?
    /// `Build artifacts` (or the merged analysis-and-execution phase).
    public var executionPhase: Span?
    /// Earliest `ts` and latest `ts + dur` of any event.
    public var firstTimestampMicros: Double?
    public var lastTimestampMicros: Double?

    public var gcPauses: GCPauses
    public var counters: Counters
    /// `Memory usage (Bazel)` thinned to at most 512 points; time in seconds (`ts` / 10⁶), value in MB.
    public var bazelMemorySeries: [PointSeries.Point]
    public var counts: EventCounts
}
