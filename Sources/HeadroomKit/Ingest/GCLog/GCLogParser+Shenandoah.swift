/// Shenandoah's concurrent phases print heap figures (`Concurrent cleanup 100M->50M(128M) 0.02ms`);
/// the last of a cycle is the heap once the cycle has freed what it could.
extension GCLogParser {
    mutating func recordShenandoahConcurrentPhase(_ cursor: ByteCursor, gcID: Int, decorators: UnifiedDecorators, lineNumber: Int) {
        guard header.collector == .shenandoah || header.collector == .unknown else { return }
        var cursor = cursor
        // Skip the phase name up to its figures.
        while let byte = cursor.peek(), !(byte >= 48 && byte <= 57) { cursor.position += 1 }
        guard let change = Self.parseSizeChange(&cursor) else { return }
        let line = cursor.bytes
        if var cycle = openShenandoahCycle, cycle.gcID == gcID {
            cycle.heap?.afterBytes = change.afterBytes
            cycle.heap?.capacityBytes = change.capacityBytes
            cycle.location = location(lineNumber)
            openShenandoahCycle = cycle
            return
        }
        flushShenandoahCycle()
        header.collector = header.collector.refined(by: .shenandoah)
        var cycle = GCEvent(kind: .concurrentCycle, isPause: false, location: location(lineNumber))
        cycle.gcID = gcID
        cycle.heap = change
        cycle.uptimeSeconds = decorators.uptimeSeconds(in: line)
        cycle.wallTimeSeconds = decorators.wallTimeSeconds(in: line)
        openShenandoahCycle = cycle
    }

    /// Sends the Shenandoah cycle being gathered, once a line of another cycle (or none) is read.
    mutating func flushShenandoahCycle() {
        guard let cycle = openShenandoahCycle else { return }
        openShenandoahCycle = nil
        emit(cycle)
    }
}
