import HeadroomIngest

/// Turns collections into live-set observations, each with its basis, and picks the best basis.
///
/// G1 and CMS only show a near-live occupancy after a marking cycle has let them clean the old
/// generation: the tracker waits for a remark and takes the lowest occupancy after the young and
/// mixed collections that follow it, until the next marking starts.
package struct LiveSetTracker {
    private var reported = LiveSetSeries()
    private var fullGC = LiveSetSeries()
    private var endOfCycleOrFull = LiveSetSeries()
    private var endOfCycleCount = 0
    private var youngGC = LiveSetSeries()
    private var afterRemark = false
    private var phaseLowest: (time: Double?, bytes: Int64)?
    private var segment = 0

    mutating func observe(_ event: GCEvent, timeSeconds: Double?) {
        if event.segment != segment {
            closeMarkingPhase()
            afterRemark = false
            segment = event.segment
        }
        if let live = event.reportedLiveBytes {
            reported.add(timeSeconds: timeSeconds, bytes: live, segment: segment)
            return
        }
        guard let after = event.heap?.afterBytes else {
            if event.kind == .remark { startMarkingPhase() }
            return
        }
        switch event.kind {
        case .full:
            closeMarkingPhase()
            afterRemark = false
            fullGC.add(timeSeconds: timeSeconds, bytes: after, segment: segment)
            endOfCycleOrFull.add(timeSeconds: timeSeconds, bytes: after, segment: segment)
        case .concurrentCycle, .degenerated:
            endOfCycleCount += 1
            endOfCycleOrFull.add(timeSeconds: timeSeconds, bytes: after, segment: segment)
        case .remark:
            startMarkingPhase()
        case .initialMark:
            closeMarkingPhase()
            afterRemark = false
        case .young, .mixed:
            guard event.isPause else { return }
            if event.startsConcurrentCycle {
                closeMarkingPhase()
                afterRemark = false
            } else if afterRemark, phaseLowest == nil || after < phaseLowest!.bytes {
                phaseLowest = (timeSeconds, after)
            }
            youngGC.add(timeSeconds: timeSeconds, bytes: after, segment: segment)
        default:
            return
        }
    }

    private mutating func startMarkingPhase() {
        closeMarkingPhase()
        afterRemark = true
    }

    private mutating func closeMarkingPhase() {
        if let lowest = phaseLowest {
            endOfCycleCount += 1
            endOfCycleOrFull.add(timeSeconds: lowest.time, bytes: lowest.bytes, segment: segment)
        }
        phaseLowest = nil
    }

    /// The live-set summary from the best basis the log offers.
    mutating func summary() -> LiveSetSummary? {
        closeMarkingPhase()
        let choice: (LiveSetSeries, LiveSetBasis)
        if reported.count > 0 {
            choice = (reported, .collectorReported)
        } else if fullGC.count >= 3 || (fullGC.count > 0 && endOfCycleCount == 0) {
            choice = (fullGC, .afterFullGC)
        } else if endOfCycleCount > 0 {
            choice = (endOfCycleOrFull, .endOfCycle)
        } else if youngGC.count > 0 {
            choice = (youngGC, .afterYoungGC)
        } else {
            return nil
        }
        var series = choice.0
        return LiveSetSummary(series: series, trend: series.trend(), basis: choice.1)
    }
}
