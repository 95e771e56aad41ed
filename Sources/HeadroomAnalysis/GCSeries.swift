import HeadroomIngest

/// A GC log's figures over time, thinned for charts: heap before and after each collection,
/// the committed heap, and pause durations. Time is the JVM's uptime in seconds (runs after a
/// restart continue the timeline).
public struct GCSeries: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// Occupancy before each collection, bytes (each point the highest of those it stands for).
    public var heapBefore: [PointSeries.Point] = []
    /// Occupancy after each collection, bytes (each point the lowest of those it stands for).
    public var heapAfter: [PointSeries.Point] = []
    /// Heap capacity after each collection, bytes.
    public var committed: [PointSeries.Point] = []
    /// Pause durations in milliseconds (each point the longest of those it stands for).
    public var pausesMs: [PointSeries.Point] = []
    /// The wall clock (seconds since the epoch) at time 0, when the log's decorators give both
    /// clocks: lets a chart line the log up with a memory series.
    public var startEpochSeconds: Double?

    public init() {}
}

/// Collects a `GCSeries` one event at a time in bounded memory.
package struct GCSeriesCollector {
    private var heapBefore = PointSeries(reduction: .maximum)
    private var heapAfter = PointSeries(reduction: .minimum)
    private var committed = PointSeries(reduction: .maximum)
    private var pauses = PointSeries(reduction: .maximum)
    private var startEpochSeconds: Double?

    mutating func add(_ event: GCEvent, time: Double?) {
        guard let time else { return }
        if startEpochSeconds == nil, let wall = event.wallTimeSeconds { startEpochSeconds = wall - time }
        if let heap = event.heap, event.isPause || event.kind == .concurrentCycle {
            heapBefore.add(time: time, value: Double(heap.beforeBytes))
            heapAfter.add(time: time, value: Double(heap.afterBytes))
            if let capacity = heap.capacityBytes { committed.add(time: time, value: Double(capacity)) }
        }
        if event.isPause, let duration = event.durationMs { pauses.add(time: time, value: duration) }
    }

    func series() -> GCSeries {
        var series = GCSeries()
        series.heapBefore = heapBefore.points
        series.heapAfter = heapAfter.points
        series.committed = committed.points
        series.pausesMs = pauses.points
        series.startEpochSeconds = startEpochSeconds
        return series
    }
}
