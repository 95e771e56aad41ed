import HeadroomRules

/// What `headroom verify` found: the plan re-run in a fresh memory cgroup, judged against the
/// original recording; the stable JSON (`verify.json`) the text and Markdown forms start from.
public struct VerifyReport: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// The outcome, with its exit status.
    public enum Verdict: String, Sendable, Codable, Equatable {
        /// Finished as the original did, no kernel kill, no Bazel OOM, GC and wall time in tolerance.
        case confirmed
        /// Killed, Bazel's OOM (exit 33), or thrashing: the limits are too small.
        case tooTight = "too-tight"
        /// The command failed for another reason: nothing is proved either way.
        case inconclusive

        /// The exit status `headroom verify` ends with.
        public var exitStatus: ExitStatus {
            switch self {
            case .confirmed: .success
            case .tooTight: .verifyTooTight
            case .inconclusive: .verifyInconclusive
            }
        }
    }

    /// The figures of one run, the original's or a verification's.
    public struct Figures: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var exitStatus: Int32?
        public var signal: Int32?
        public var timedOut = false
        public var wallSeconds: Double?
        public var gcTimeFraction: Double?
        public var pauseCount: Int?
        /// The cgroup's peak charge: the kernel's for a verification, the samples' for the original.
        public var cgroupPeakBytes: Int64?
        public var cgroupLimitBytes: Int64?
        public var maxHeapBytes: Int64?

        public init() {}
    }

    /// One run of the command under limits.
    public struct Attempt: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var limits: CgroupLimits
        public var options: [String]
        public var command: [String]
        public var cgroupPath: String
        public var cgroupVersion: Int
        public var manager: MemoryCgroupManager
        public var applied: [String]
        public var notApplied: [String]
        public var bundle: String
        public var figures: Figures
        public var kernel: MemoryCgroupReadback
        public var verdict: Verdict
        public var reasons: [String]
        /// The last lines of the command's output, when it failed.
        public var outputTail: [String]
        /// How the run's limit was chosen: the plan's, corrected up, or searched down (nil in
        /// reports written before verify converged).
        public var step: VerifySearch.Step?

        package init(limits: CgroupLimits, options: [String], command: [String], cgroupPath: String, cgroupVersion: Int, manager: MemoryCgroupManager, applied: [String], notApplied: [String], bundle: String, figures: Figures, kernel: MemoryCgroupReadback, verdict: Verdict, reasons: [String], outputTail: [String], step: VerifySearch.Step? = nil) {
            self.limits = limits
            self.options = options
            self.command = command
            self.cgroupPath = cgroupPath
            self.cgroupVersion = cgroupVersion
            self.manager = manager
            self.applied = applied
            self.notApplied = notApplied
            self.bundle = bundle
            self.figures = figures
            self.kernel = kernel
            self.verdict = verdict
            self.reasons = reasons
            self.outputTail = outputTail
            self.step = step
        }

        /// What the search needs of this run; `heapGrowth` when Bazel's heap ran out.
        public func outcome(heapGrowth: Int64? = nil) -> VerifySearch.Outcome {
            VerifySearch.Outcome(limit: limits.memoryMaxBytes, peak: kernel.peakBytes, verdict: verdict, heapGrowth: heapGrowth)
        }
    }

    /// How the runs after the plan's were chosen, and why they stopped.
    public struct Convergence: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var mode: VerifySearch.Mode
        /// Runs in all, the plan's included.
        public var maxTries: Int
        /// No limit above this was tried.
        public var ceilingBytes: Int64?
        /// Why no further run was made (nil when interrupted).
        public var stoppedBecause: String?

        public init(mode: VerifySearch.Mode, maxTries: Int, ceilingBytes: Int64?, stoppedBecause: String? = nil) {
            self.mode = mode
            self.maxTries = maxTries
            self.ceilingBytes = ceilingBytes
            self.stoppedBecause = stoppedBecause
        }
    }

    public var schemaVersion = 1
    public var tool = "headroom"
    public var toolVersion: String
    public var generatedAt: String?
    /// The overall verdict: the first attempt's, the plan's own limits (a corrected run never
    /// turns too-tight into confirmed).
    public var verdict: Verdict
    public var reasons: [String]
    public var original: Figures
    public var originalBundle: String
    public var plan: VerifyPlan
    /// The command as given, before the plan's options.
    public var requestedCommand: [String]
    public var tolerance: Tolerance
    /// Every run, in order: the plan's first, then each correction or search step.
    public var attempts: [Attempt]
    /// The corrected limits (and heap) after a too-tight plan: the smallest limit that passed, else
    /// the last correction tried (or, with `--no-retry`, proposed); and that run's verdict (nil:
    /// not run). Kept for readers of reports from before verify converged; `attempts` has them all.
    public var corrected: CgroupLimits?
    public var correctedMaxHeapBytes: Int64?
    public var correctedVerdict: Verdict?
    /// How the runs were chosen and why they stopped (nil in older reports).
    public var convergence: Convergence?
    /// The `MemoryMax` of the last run that passed, nil when none did.
    public var passingLimit: Int64?
    /// With `--search`: the smallest `MemoryMax` that passed.
    public var smallestPassingLimit: Int64?
    /// With `--search`: the largest `MemoryMax` below the smallest passing one that was too tight.
    public var largestFailingLimit: Int64?
    /// With `--search`: the smallest passing limit × 1.15 (the plan's margin), rounded up to 64 MiB.
    public var recommendedLimit: Int64?
    public var notes: [String]

    package init(toolVersion: String, generatedAt: String? = nil, verdict: Verdict, reasons: [String], original: Figures, originalBundle: String, plan: VerifyPlan, requestedCommand: [String], tolerance: Tolerance, attempts: [Attempt], corrected: CgroupLimits? = nil, correctedMaxHeapBytes: Int64? = nil, correctedVerdict: Verdict? = nil, notes: [String]) {
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.verdict = verdict
        self.reasons = reasons
        self.original = original
        self.originalBundle = originalBundle
        self.plan = plan
        self.requestedCommand = requestedCommand
        self.tolerance = tolerance
        self.attempts = attempts
        self.corrected = corrected
        self.correctedMaxHeapBytes = correctedMaxHeapBytes
        self.correctedVerdict = correctedVerdict
        self.notes = notes
    }

    /// How far a verification may drift from the original before it counts as thrashing.
    public struct Tolerance: Sendable, Codable, Equatable {
        /// GC time may exceed the original's by this many fraction points (0.05: 5 points).
        public var gcFraction: Double
        /// Wall time may be this many times the original's.
        public var wallFactor: Double

        public init(gcFraction: Double = 0.05, wallFactor: Double = 1.5) {
            self.gcFraction = gcFraction
            self.wallFactor = wallFactor
        }
    }
}
