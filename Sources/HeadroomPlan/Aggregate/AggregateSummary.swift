import HeadroomRules

/// What `headroom aggregate` read and how it turned many runs into one set of figures; part of
/// the report (`AnalysisReport.aggregate`) so every format can say what the plan rests on.
public struct AggregateSummary: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// One figure over the runs: its decayed percentiles and the recommendations made of them.
    public struct Figure: Sendable, Codable, Equatable, ExplicitNullEncoding {
        /// `liveSet`, `serverRSS`, `cgroupPeak`, `testsPeak`.
        public var name: String
        /// Runs that gave this figure.
        public var runs: Int
        /// Their samples raised after an OOM kill.
        public var oomBumps: Int
        /// Summed weight seen from the newest run (each run 1, halved per half-life of age).
        public var weight: Double
        public var lowerPercentileBytes: Int64?
        public var targetPercentileBytes: Int64?
        public var upperPercentileBytes: Int64?
        public var largestBytes: Int64?
        /// Lower percentile × (1 + margin).
        public var lowerBytes: Int64?
        /// Target percentile × (1 + margin): the figure the plan uses.
        public var targetBytes: Int64?
        /// Upper percentile × (1 + margin) × (1 + 1/confidence).
        public var upperBytes: Int64?

        public init(name: String) {
            self.name = name
            runs = 0
            oomBumps = 0
            weight = 0
        }
    }

    /// Runs read, over all inputs.
    public var runs: Int
    /// Each input and how many runs it gave.
    public var inputs: [String]
    /// Inputs and lines that could not be read, each with where and why.
    public var unreadable: [String]
    public var oldestRun: String?
    public var newestRun: String?
    public var spanSeconds: Double
    public var confidence: Double
    /// How `confidence` was found, in words.
    public var confidenceBasis: String
    public var halfLifeSeconds: Double
    public var lowerPercentile: Double
    public var targetPercentile: Double
    public var upperPercentile: Double
    public var margin: Double
    public var oomKilledRuns: Int
    public var figures: [Figure]

    public init(
        runs: Int, inputs: [String], unreadable: [String], oldestRun: String?, newestRun: String?, spanSeconds: Double, confidence: Double,
        confidenceBasis: String, halfLifeSeconds: Double, lowerPercentile: Double, targetPercentile: Double, upperPercentile: Double,
        margin: Double, oomKilledRuns: Int, figures: [Figure]
    ) {
        self.runs = runs
        self.inputs = inputs
        self.unreadable = unreadable
        self.oldestRun = oldestRun
        self.newestRun = newestRun
        self.spanSeconds = spanSeconds
        self.confidence = confidence
        self.confidenceBasis = confidenceBasis
        self.halfLifeSeconds = halfLifeSeconds
        self.lowerPercentile = lowerPercentile
        self.targetPercentile = targetPercentile
        self.upperPercentile = upperPercentile
        self.margin = margin
        self.oomKilledRuns = oomKilledRuns
        self.figures = figures
    }

    /// Samples raised after OOM kills, over all figures.
    public var oomBumps: Int { figures.reduce(0) { $0 + $1.oomBumps } }
}
