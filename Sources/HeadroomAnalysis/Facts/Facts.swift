import HeadroomIngest

/// Everything the rules may read about one workspace's memory, filled from whatever evidence
/// exists. A nil fact is unknown; every known fact carries its source.
///
/// Rules read facts, never files or processes; `FactsBuilder` is the one place evidence turns
/// into facts, and rule examples are small `Facts` values.
public struct Facts: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// Where the Bazel server runs: advice differs between a workstation and a one-shot CI job.
    public enum Context: String, Sendable, Codable, Equatable, CaseIterable {
        case workstation
        case ci
    }

    public var context: Sourced<Context> = Sourced(.workstation, source: "default")
    public var bazel = Bazel()
    public var heap = Heap()
    public var liveSet = LiveSet()
    public var gc = GC()
    public var server = Server()
    public var cgroup = Cgroup()
    public var oomKills: [OOMKillFact] = []
    public var host = Host()
    public var flags = Flags()
    /// Values the planner decided in an earlier stage, for rules of later stages.
    public var planned = Planned()
    /// The evidence read, one line per input.
    public var inputs: [String] = []
    /// Some evidence was cut short (a truncated log, an unfinished recording).
    public var isPartial = false
    /// What could not be read or was assumed, in words.
    public var notes: [String] = []

    public init() {}

    /// Facts built in place, for rule examples: `Facts.with { $0.heap.configuredMax = .gib(14) }`.
    public static func with(_ fill: (inout Facts) -> Void) -> Facts {
        var facts = Facts()
        fill(&facts)
        return facts
    }
}

extension Facts {
    /// The Bazel release and what it offers.
    public struct Bazel: Sendable, Codable, Equatable, ExplicitNullEncoding {
        /// As given (`6.4.0`, `development version`); see `parsedRelease`.
        public var release: Sourced<String>?
        /// Flags the binary itself lists (`bazel help build --long`), when it was asked.
        public var supportedFlags: Sourced<[String]>?
        /// Bazel ended with exit code 33: its own out-of-memory exit.
        public var outOfMemoryExit: Sourced<Bool>?
        /// The command measured (`build`, `test`), when known.
        public var command: Sourced<String>?

        public init() {}

        public var parsedRelease: BazelRelease { BazelRelease(release?.value ?? "") }
    }

    /// How the server's heap is configured and what it reached.
    public struct Heap: Sendable, Codable, Equatable, ExplicitNullEncoding {
        /// An explicit `-Xmx` (or `-XX:MaxHeapSize=`): from a `.bazelrc`, the server's command line
        /// or the GC log's recorded flags. Nil when none was set: the JVM default applies.
        public var configuredMax: Sourced<Int64>?
        /// The heap the JVM really had (`bazel info max-heap-size`, the GC log's header).
        public var effectiveMax: Sourced<Int64>?
        /// `-XX:MaxRAMPercentage=` when set explicitly.
        public var maxRAMPercentage: Sourced<Double>?
        public var collector: Sourced<Collector>?
        public var committedPeak: Sourced<Int64>?
        /// The memory the JVM said it had (`Memory:` in the GC log's header): host RAM on a bare
        /// machine, the cgroup limit for a container-aware JVM in a limited cgroup — so never
        /// taken as host RAM.
        public var jvmVisibleMemory: Sourced<Int64>?

        public init() {}

        /// The maximum heap rules reason about: the explicit one, else the one the JVM had.
        public var max: Sourced<Int64>? { configuredMax ?? effectiveMax }
    }

    /// What stays reachable: the figure every heap decision rests on.
    public struct LiveSet: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var peak: Sourced<Int64>?
        public var median: Sourced<Int64>?
        /// The figures only bound the live set from above (measured after young collections).
        public var isUpperBound: Sourced<Bool>?
        public var basis: Sourced<String>?
        public var observations: Sourced<Int>?
        public var slopeBytesPerHour: Sourced<Double>?
        /// R² of the trend line, 0...1.
        public var trendFit: Sourced<Double>?
        /// Growth of the trend line over its span, as a fraction of its start.
        public var growthFraction: Sourced<Double>?
        public var trendSpanSeconds: Sourced<Double>?
        /// Live heap after analysis only (`build --nobuild`, then `used-heap-size-after-gc`).
        public var analysisPhase: Sourced<Int64>?
        /// The smallest `-Xmx` an analysis sweep saw complete without thrashing.
        public var sweepFloor: Sourced<Int64>?
        /// The live set right after the command, from a forced full collection (`bazel info
        /// used-heap-size-after-gc`): exact, where a GC log's end-of-cycle figures are an upper bound.
        public var afterForcedFullGC: Sourced<Int64>?
        /// The heap stayed full (Bazel's out-of-memory exit, or occupancy after full collections
        /// near the maximum): the live set could not show how much the server wanted, so the
        /// figure is at least what it needs.
        public var isLowerBound: Sourced<Bool>?
        /// The live set was seen over one command only (a recording starts its own server and GC
        /// log): growth inside it is the command's work, not a leak across commands.
        public var seenOverOneCommand: Sourced<Bool>?

        public init() {}
    }

    /// How much time the collector took, and signs that it could not keep up.
    public struct GC: Sendable, Codable, Equatable, ExplicitNullEncoding {
        /// Pause time over the logged span, explicit full collections (System.gc(), jcmd,
        /// `bazel info used-heap-size-after-gc`) left out: they say nothing about the heap's size.
        public var timeFraction: Sourced<Double>?
        /// Pause time of full collections the heap forced, over the span ("major GC" time).
        public var fullGCTimeFraction: Sourced<Double>?
        public var fullGCs: Sourced<Int>?
        public var explicitFullGCs: Sourced<Int>?
        /// Full collections right after one that freed less than 5 % of the heap.
        public var ineffectiveBackToBackFullGCs: Sourced<Int>?
        /// Highest heap occupancy after a forced full collection, over the heap's capacity.
        public var occupancyAfterFullGC: Sourced<Double>?
        public var spanSeconds: Sourced<Double>?

        public init() {}
    }

    /// The Bazel server process.
    public struct Server: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var rssPeak: Sourced<Int64>?
        /// RSS peak minus committed heap peak: metaspace, code cache, threads, direct buffers.
        public var nonHeapOverhead: Sourced<Int64>?
        /// Non-heap memory measured from the server's smaps (resident − resident heap); it beats
        /// RSS − committed heap, which is negative when the committed heap is mostly untouched.
        public var nonHeapMeasured: Sourced<Int64>?
        /// False when the server was not in the cgroup that was measured (started before it).
        public var insideScope: Sourced<Bool>?
        /// The server died during the command (killed or crashed).
        public var died: Sourced<Bool>?

        public init() {}
    }

    /// The memory cgroup the command ran in.
    public struct Cgroup: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var path: Sourced<String>?
        public var peak: Sourced<Int64>?
        public var limit: Sourced<Int64>?
        public var high: Sourced<Int64>?
        public var swapPeak: Sourced<Int64>?
        /// Nil when unknown or unlimited.
        public var swapLimit: Sourced<Int64>?
        /// Times the cgroup hit its limit and the kernel's OOM path ran (`oom`, v1 `under_oom`).
        public var oomEvents: Sourced<Int64>?
        public var oomKills: Sourced<Int64>?
        /// Times usage reached `memory.max` (v2 `max`, v1 `failcnt`).
        public var maxEvents: Sourced<Int64>?
        public var highEvents: Sourced<Int64>?
        /// PSI `full` stall time over the measured time (the cgroup's, else the host's).
        public var fullStallFraction: Sourced<Double>?
        public var someStallFraction: Sourced<Double>?
        /// Tests' and actions' peak: cgroup usage minus the server's RSS at the same moment when
        /// the cgroup was the command's own (`ownedByCommand`), else from the server's process
        /// tree (`treeTestsPeak`): a shared cgroup counts every other process and their page cache.
        public var testsPeak: Sourced<Int64>?
        /// How `testsPeak` was measured, in words.
        public var testsBasis: Sourced<String>?
        /// True when the cgroup held the command alone (`record` made it, or it held nothing else).
        public var ownedByCommand: Sourced<Bool>?
        /// Peak RSS of the server's descendants (tests, actions, workers), sample by sample.
        public var treeTestsPeak: Sourced<Int64>?
        /// Peak RSS of the server and its descendants together, in one sample.
        public var treePeak: Sourced<Int64>?
        /// Peaks of `memory.stat`'s anonymous memory and page cache (file): usage is their sum and
        /// more, and page cache is mostly reclaimable.
        public var anonPeak: Sourced<Int64>?
        public var filePeak: Sourced<Int64>?

        public init() {}
    }

    /// The machine.
    public struct Host: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var memory: Sourced<Int64>?
        public var cpus: Sourced<Int>?
        public var swapTotal: Sourced<Int64>?

        public init() {}
    }

    /// Bazel options that bear on memory, from `.bazelrc` files or the measured command line.
    public struct Flags: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var jobs: Sourced<Int>?
        public var localTestJobs: Sourced<Int>?
        /// `--local_ram_resources` or `--local_resources=memory=`, MB.
        public var localRAMMegabytes: Sourced<Double>?
        public var remoteExecutor: Sourced<String>?
        public var remoteCache: Sourced<String>?
        public var merkleTreeCache: Sourced<Bool>?
        public var merkleTreeCacheSize: Sourced<Int64>?
        public var discardMerkleTrees: Sourced<Bool>?
        public var discardAnalysisCache: Sourced<Bool>?
        public var keepStateAfterBuild: Sourced<Bool>?
        public var trackIncrementalState: Sourced<Bool>?
        public var heapDumpOnOOM: Sourced<Bool>?
        /// `--gc_thrashing_threshold` or `--experimental_oom_more_eagerly_threshold`; 100 is off.
        public var gcThrashingThreshold: Sourced<Int>?
        public var maxIdleSeconds: Sourced<Int>?
        public var shutdownOnLowSystemMemory: Sourced<Bool>?

        public init() {}
    }

    /// Decisions of earlier planning stages that later rules build on.
    public struct Planned: Sendable, Codable, Equatable, ExplicitNullEncoding {
        /// The heap the plan settled on (changed or kept).
        public var maxHeap: Sourced<Int64>?
        public var memoryMax: Sourced<Int64>?

        public init() {}
    }
}

/// One kernel OOM kill, reduced to what rules need.
public struct OOMKillFact: Sendable, Codable, Equatable {
    public var classification: OOMKill.Classification
    public var constraint: OOMKill.Constraint
    public var victim: String?
    public var victimRSSBytes: Int64?
    public var memcg: String?
    public var limitBytes: Int64?
    public var usageBytes: Int64?
    public var source: String

    public init(
        classification: OOMKill.Classification, constraint: OOMKill.Constraint, victim: String? = nil, victimRSSBytes: Int64? = nil,
        memcg: String? = nil, limitBytes: Int64? = nil, usageBytes: Int64? = nil, source: String = "example"
    ) {
        self.classification = classification
        self.constraint = constraint
        self.victim = victim
        self.victimRSSBytes = victimRSSBytes
        self.memcg = memcg
        self.limitBytes = limitBytes
        self.usageBytes = usageBytes
        self.source = source
    }
}
