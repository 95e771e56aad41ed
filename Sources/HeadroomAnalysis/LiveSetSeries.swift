import HeadroomIngest

/// The live-set observations of one basis: distribution, bounded points, and the points of the
/// longest JVM run, on which the trend is fitted.
package struct LiveSetSeries {
    var sketch = QuantileSketch()
    var peak: Int64 = 0
    var points = PointSeries()
    private var currentRun = PointSeries()
    private var currentSegment = -1
    private var longestRun = PointSeries()

    /// Share of a run left out of the trend at its start, while the program builds its working set.
    static let startUpShare = 0.2

    var count: Int { sketch.count }

    mutating func add(timeSeconds: Double?, bytes: Int64, segment: Int) {
        sketch.add(Double(bytes))
        peak = max(peak, bytes)
        guard let timeSeconds else { return }
        points.add(time: timeSeconds, value: Double(bytes))
        if segment != currentSegment {
            keepLongestRun()
            currentRun = PointSeries()
            currentSegment = segment
        }
        currentRun.add(time: timeSeconds, value: Double(bytes))
    }

    private mutating func keepLongestRun() {
        if currentRun.points.count > longestRun.points.count { longestRun = currentRun }
    }

    /// Least squares (x in hours) over the longest run, without its start-up share.
    mutating func trend() -> LinearTrend {
        keepLongestRun()
        var trend = LinearTrend()
        guard let first = longestRun.points.first?.timeSeconds, let last = longestRun.points.last?.timeSeconds else { return trend }
        let steadyFrom = first + (last - first) * Self.startUpShare
        for point in longestRun.points where point.timeSeconds >= steadyFrom {
            trend.add(x: point.timeSeconds / 3600, y: point.value)
        }
        return trend
    }
}
