import HeadroomIngest

/// Derives the GC facts from events in one streaming pass; memory does not grow with the log.
public final class GCLogAnalyzer: GCLogSink {
    private var summary = GCLogSummary()
    private var pauseSketch = QuantileSketch()
    private var liveSet = LiveSetTracker()
    private var window = SlidingWindowFraction(windowSeconds: 60)
    private var chartSeries = GCSeriesCollector()
    /// Headers of the kept segments; with many restarts only the first and the latest are kept.
    private var segmentHeaders: [Int: JVMHeader] = [:]
    /// Segments listed in the summary: the first ones and the latest, so memory stays flat.
    static let segmentLimit = 100
    private var currentSegment = GCLogSummary.Segment(index: 0, reason: "start of input", collector: .unknown, pauseCount: 0)
    /// Offset that keeps the timeline increasing across JVM runs.
    private var timelineOffset = 0.0
    private var timelineEnd = 0.0
    private var segmentFirstTime: Double?
    private var segmentLastTime: Double?
    private var spanSeconds = 0.0
    private var firstWall: Double?
    private var lastWall: Double?
    private var previousAfter: (time: Double, bytes: Int64)?
    private var allocatedBytes = 0.0
    private var allocationSeconds = 0.0
    private var promotedBytes = 0.0
    private var promotionSeen = false
    private var previousWasIneffectiveFull = false
    private var previousPauseWasFull = false
    /// Events by kind, in `GCEventKind.allCases` order (a dictionary per event would hash a string).
    private var kindCounts = [Int](repeating: 0, count: GCEventKind.allCases.count)

    public init() {}

    public func beginSegment(_ index: Int, at location: SourceLocation, reason: String) {
        closeSegment()
        currentSegment = GCLogSummary.Segment(index: index, startsAt: location, reason: reason, collector: .unknown, pauseCount: 0)
        timelineOffset = timelineEnd
        segmentFirstTime = nil
        segmentLastTime = nil
        previousAfter = nil
        previousPauseWasFull = false
        window.reset()
    }

    public func record(header: JVMHeader, forSegment index: Int) {
        if segmentHeaders.count >= Self.segmentLimit, let dropped = segmentHeaders.keys.filter({ $0 >= Self.segmentLimit - 1 && $0 < index }).first {
            segmentHeaders[dropped] = nil
        }
        segmentHeaders[index] = header
    }

    public func record(_ event: GCEvent) {
        let time = event.uptimeSeconds.map { $0 + timelineOffset }
        let durationSeconds = (event.durationMs ?? 0) / 1000
        if let time {
            if segmentFirstTime == nil { segmentFirstTime = time }
            segmentLastTime = max(segmentLastTime ?? time, time + (event.isPause ? durationSeconds : 0))
            timelineEnd = max(timelineEnd, segmentLastTime!)
            if summary.firstUptimeSeconds == nil { summary.firstUptimeSeconds = event.uptimeSeconds }
            summary.lastUptimeSeconds = event.uptimeSeconds
            if currentSegment.firstUptimeSeconds == nil { currentSegment.firstUptimeSeconds = event.uptimeSeconds }
            currentSegment.lastUptimeSeconds = event.uptimeSeconds
        }
        if let wall = event.wallTimeSeconds {
            firstWall = min(firstWall ?? wall, wall)
            lastWall = max(lastWall ?? wall, wall)
        }
        kindCounts[Self.allKinds.firstIndex(of: event.kind)!] += 1
        if event.evacuationFailure { summary.evacuationFailures += 1 }
        if event.kind == .concurrentCycle { summary.concurrentCycles += 1 }
        if let heap = event.heap {
            if let capacity = heap.capacityBytes { summary.heapCommittedPeakBytes = max(summary.heapCommittedPeakBytes ?? 0, capacity) }
            summary.heapUsedPeakBytes = max(summary.heapUsedPeakBytes ?? 0, heap.beforeBytes)
            trackAllocation(heap, time: time)
        }
        if event.isPause { recordPause(event, time: time, durationSeconds: durationSeconds) }
        if event.isPause, event.kind == .young, let old = event.oldGeneration, event.youngGeneration != nil {
            promotionSeen = true
            promotedBytes += Double(max(0, old.afterBytes - old.beforeBytes))
        }
        liveSet.observe(event, timeSeconds: time)
        chartSeries.add(event, time: time)
    }

    private func recordPause(_ event: GCEvent, time: Double?, durationSeconds: Double) {
        summary.pauseCount += 1
        currentSegment.pauseCount += 1
        if let duration = event.durationMs {
            summary.pauseTotalMs += duration
            pauseSketch.add(duration)
        }
        if let time, let start = segmentFirstTime {
            window.add(end: time + durationSeconds, durationSeconds: durationSeconds, coveredSince: start)
        }
        guard event.kind == .full else {
            previousPauseWasFull = false
            previousWasIneffectiveFull = false
            return
        }
        summary.fullGCCount += 1
        if let cause = event.cause, Self.isExplicit(cause: cause) {
            // Asked for (System.gc(), a heap dump, jcmd): it frees what it can, whatever the heap size.
            summary.explicitFullGCCount += 1
            summary.explicitFullGCPauseTotalMs += event.durationMs ?? 0
            previousPauseWasFull = false
            return
        }
        summary.heapFullGCPauseTotalMs += event.durationMs ?? 0
        if let heap = event.heap {
            summary.thrashing.maxOccupancyAfterFullGCBytes = max(summary.thrashing.maxOccupancyAfterFullGCBytes ?? 0, heap.afterBytes)
        }
        if let heap = event.heap, heap.beforeBytes > 0 {
            let freed = Double(heap.beforeBytes - heap.afterBytes) / Double(heap.beforeBytes)
            let ineffective = freed < 0.05
            if ineffective && previousPauseWasFull {
                summary.thrashing.ineffectiveBackToBackFullGCs += 1
                if summary.thrashing.firstAt == nil { summary.thrashing.firstAt = event.location }
            }
            previousWasIneffectiveFull = ineffective
            if let capacity = heap.capacityBytes, capacity > 0 {
                let occupancy = Double(heap.afterBytes) / Double(capacity)
                summary.thrashing.maxOccupancyAfterFullGCFraction = max(summary.thrashing.maxOccupancyAfterFullGCFraction ?? 0, occupancy)
            }
        }
        previousPauseWasFull = true
    }

    /// Bytes allocated between collections: occupancy before this one minus after the last.
    private func trackAllocation(_ heap: OccupancyChange, time: Double?) {
        guard let time else { return }
        if let previous = previousAfter, time > previous.time {
            allocatedBytes += Double(max(0, heap.beforeBytes - previous.bytes))
            allocationSeconds += time - previous.time
        }
        previousAfter = (time, heap.afterBytes)
    }

    private func closeSegment() {
        if let first = segmentFirstTime, let last = segmentLastTime { spanSeconds += max(0, last - first) }
        segmentFirstTime = nil
        if currentSegment.pauseCount > 0 || !summary.segments.isEmpty || currentSegment.index > 0 || segmentHeaders[currentSegment.index] != nil {
            summary.segmentCount += 1
            if summary.segments.count >= Self.segmentLimit {
                // Keep the first ones; the last place always holds the latest run.
                summary.segments.removeLast()
            }
            summary.segments.append(currentSegment)
        }
    }

    /// The summary of everything recorded; call once, after the parser has finished.
    public func finish(coverage: LineCoverage, inputs: [GCLogSummary.Input]) -> GCLogSummary {
        closeSegment()
        var result = summary
        for index in result.segments.indices {
            let header = segmentHeaders[result.segments[index].index] ?? JVMHeader()
            result.segments[index].collector = header.collector
            result.segments[index].jvmVersion = header.jvmVersion
            result.segments[index].maxHeapBytes = header.maxHeapBytes
        }
        // The newest run describes the JVM; older runs fill what it lacks.
        var header = JVMHeader()
        for index in segmentHeaders.keys.sorted(by: >) { header.merge(segmentHeaders[index]!) }
        result.collector = header.collector
        result.jvmVersion = header.jvmVersion
        result.maxHeapBytes = header.maxHeapBytes
        result.regionSizeBytes = header.regionSizeBytes
        result.cpus = header.cpus
        result.hostMemoryBytes = header.memoryBytes
        for (index, kind) in GCEventKind.allCases.enumerated() where kindCounts[index] > 0 {
            result.eventCounts[kind.rawValue] = kindCounts[index]
        }
        result.coverage = coverage
        result.inputs = inputs
        result.isPartial = inputs.contains(where: \.isPartial)
        if spanSeconds > 0 {
            result.spanSeconds = spanSeconds
            result.gcTimeFraction = min(1, result.pauseTotalMs / 1000 / spanSeconds)
            result.heapFullGCTimeFraction = min(1, result.heapFullGCPauseTotalMs / 1000 / spanSeconds)
            result.heapGCTimeFraction = min(1, max(0, result.pauseTotalMs - result.explicitFullGCPauseTotalMs) / 1000 / spanSeconds)
        }
        if let first = firstWall { result.firstWallTime = ISOTime.format(epochSeconds: first) }
        if let last = lastWall { result.lastWallTime = ISOTime.format(epochSeconds: last) }
        if let p50 = pauseSketch.quantile(0.5), let p90 = pauseSketch.quantile(0.9), let p99 = pauseSketch.quantile(0.99) {
            result.pausePercentilesMs = .init(p50: p50, p90: p90, p99: p99, max: pauseSketch.maximum)
        }
        result.maxWindowGCFraction = window.best
        result.liveSet = liveSet.summary()
        result.series = chartSeries.series()
        if allocationSeconds > 0 { result.allocationRateBytesPerSecond = allocatedBytes / allocationSeconds }
        if promotionSeen, spanSeconds > 0 { result.promotionRateBytesPerSecond = promotedBytes / spanSeconds }
        result.warnings = Self.warnings(for: result)
        return result
    }

    private static let allKinds = GCEventKind.allCases

    /// Causes of collections someone asked for rather than the heap running out.
    static func isExplicit(cause: String) -> Bool {
        cause.hasPrefix("System") || cause.hasPrefix("Heap Inspection") || cause.hasPrefix("Heap Dump")
            || cause.hasPrefix("Jvmti") || cause.hasPrefix("Diagnostic Command") || cause.hasPrefix("WhiteBox")
    }

    static func warnings(for summary: GCLogSummary) -> [String] {
        var warnings: [String] = []
        for input in summary.inputs {
            for warning in input.warnings { warnings.append("\(input.path): \(warning)") }
        }
        if summary.pauseCount == 0 && summary.concurrentCycles == 0 {
            warnings.append("no garbage collections found in the input")
        }
        if let liveSet = summary.liveSet, liveSet.isUpperBound {
            warnings.append("no full collection or collector-reported live figure: the live set is only bounded from above (\(liveSet.basis.rawValue))")
        }
        if summary.explicitFullGCCount > 0 {
            warnings.append("\(summary.explicitFullGCCount) of the full collections were asked for (System.gc(), heap dump or jcmd), not forced by the heap")
        }
        if summary.thrashing.ineffectiveBackToBackFullGCs > 0 {
            warnings.append("\(summary.thrashing.ineffectiveBackToBackFullGCs) back-to-back full collections freed less than 5 % of the heap: the heap is too small for the live set")
        }
        if summary.evacuationFailures > 0 {
            warnings.append("\(summary.evacuationFailures) collections failed to evacuate (to-space exhausted or promotion failed)")
        }
        if let window = summary.maxWindowGCFraction, window.fraction > 0.1 {
            warnings.append("GC pauses took \(Int((window.fraction * 100).rounded())) % of a \(Int(window.windowSeconds)) s window")
        }
        if summary.segmentCount > summary.segments.count {
            warnings.append("\(summary.segmentCount) JVM runs in the input; the first \(summary.segments.count - 1) and the latest are listed")
        }
        if summary.segmentCount > 1 {
            warnings.append("\(summary.segmentCount) JVM runs in the input; figures span them all, trends use the longest run")
        }
        if summary.coverage.unrecognizedCount > 0 {
            warnings.append("\(summary.coverage.unrecognizedCount) lines were not recognised")
        }
        if summary.coverage.truncatedLines > 0 {
            warnings.append("\(summary.coverage.truncatedLines) overlong lines were cut")
        }
        return warnings
    }
}
