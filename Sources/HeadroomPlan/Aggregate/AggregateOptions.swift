import HeadroomRules

/// How `aggregate` weighs runs and turns percentiles into figures; the defaults are the
/// Kubernetes VPA recommender's.
public struct AggregateOptions: Sendable, Equatable {
    /// A run's weight halves per this much age, measured from the newest run (VPA: 24 h).
    public var halfLifeSeconds = 86_400.0
    /// The percentile the plan uses (VPA target: P90).
    public var targetPercentile = 0.9
    /// Added on top of every percentile (VPA: 15 %).
    public var margin = 0.15
    /// Runs that count as one day of history in the confidence: `min(span days, runs / this)`.
    /// The VPA counts one sample a minute, 1440 a day; a CI fleet runs far fewer, larger jobs.
    public var runsPerConfidenceDay = 10.0

    public init() {}

    /// VPA lower bound: P50, or the target percentile when that is lower.
    public var lowerPercentile: Double { min(0.5, targetPercentile) }
    /// VPA upper bound: P95, or the target percentile when that is higher.
    public var upperPercentile: Double { max(0.95, targetPercentile) }
}
