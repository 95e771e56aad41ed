import HeadroomIngest

/// The live set: what stays reachable, the figure every heap decision rests on.
public struct LiveSetSummary: Sendable, Codable, Equatable, ExplicitNullEncoding {
    public var basis: LiveSetBasis
    /// True when the figures only bound the live set from above; never report them as the live set.
    public var isUpperBound: Bool
    public var peakBytes: Int64
    public var medianBytes: Int64
    public var observations: Int
    /// Least-squares slope over the longest JVM run, leaving out its first 20 % (start-up);
    /// nil with fewer than 3 timed points there.
    public var slopeBytesPerHour: Double?
    /// R² of that line, 0...1.
    public var slopeGoodnessOfFit: Double?
    /// Growth of the fitted line over the run, as a fraction of its start value.
    public var growthFraction: Double?
    /// Span of the run the trend was fitted on, in seconds.
    public var trendSpanSeconds: Double?
    /// Up to 512 (time, bytes) points, evenly thinned.
    public var points: [PointSeries.Point]
    /// The fitted line's two ends, (seconds, bytes); nil without a trend.
    public var trendLine: [PointSeries.Point]?

    init(series: LiveSetSeries, trend: LinearTrend, basis: LiveSetBasis) {
        self.basis = basis
        isUpperBound = basis.isUpperBound
        peakBytes = series.peak
        medianBytes = Int64(series.sketch.quantile(0.5) ?? 0)
        observations = series.count
        points = series.points.points
        slopeBytesPerHour = trend.slope
        slopeGoodnessOfFit = trend.goodnessOfFit
        if let first = trend.firstX, let last = trend.lastX, let start = trend.value(at: first), let end = trend.value(at: last), start > 0 {
            growthFraction = (end - start) / start
            trendSpanSeconds = (last - first) * 3600
            trendLine = [PointSeries.Point(timeSeconds: first * 3600, value: start), PointSeries.Point(timeSeconds: last * 3600, value: end)]
        }
    }
}
