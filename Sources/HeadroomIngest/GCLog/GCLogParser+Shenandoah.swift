import HeadroomCore

/// Shenandoah's concurrent phases print heap figures (`Concurrent cleanup 100M->50M(128M) 0.02ms`);
/// the last of a cycle is the heap once the cycle has freed what it could.
package extension GCLogParser {
    mutating func recordShenandoahConcurrentPhase(
        _ cursor: ByteCursor, gcID: Int, lineNumber: Int, stamps: (UnsafeBufferPointer<UInt8>) -> (uptime: Double?, wall: Double?)
    ) {
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
        let times = stamps(line)
        cycle.uptimeSeconds = times.uptime
        cycle.wallTimeSeconds = times.wall
        openShenandoahCycle = cycle
    }

    /// Sends the Shenandoah cycle being gathered, once a line of another cycle (or none) is read.
    mutating func flushShenandoahCycle() {
        guard let cycle = openShenandoahCycle else { return }
        openShenandoahCycle = nil
        emit(cycle)
    }
}

/// The JDK 8 Shenandoah backport: `2.472: [Pause Init Mark (process weakrefs), 3.341 ms]` and
/// `3.344: [Concurrent cleanup 1613M->1361M(1636M), 0.092 ms]`, stamped when the phase ends,
/// without GC ids (cycles are counted from their initial marks).
package extension GCLogParser {
    mutating func parseLegacyShenandoah(_ line: UnsafeBufferPointer<UInt8>, bracket: Int, lineNumber: Int) -> LineClass {
        guard let close = ByteCursor(line).index(ofByte: UInt8(ascii: "]"), from: bracket) else { return .unrecognized }
        let content = UnsafeBufferPointer(rebasing: line[..<close])
        var cursor = ByteCursor(content, position: bracket + 1)
        if content.bytes(in: max(bracket, close - 7)..<close, equal: ", start") { return .detail }
        let stamps = LegacyTimestamp.read(in: line, before: bracket)
        if cursor.skip("Pause ") {
            guard let parts = PauseLineParts.parse(&cursor), let duration = parts.durationMs else { return .detail }
            header.collector = header.collector.refined(by: .shenandoah)
            var event = pauseEvent(parts, in: content, gcID: nil, lineNumber: lineNumber)
            if event.kind == .initialMark {
                flushShenandoahCycle()
                legacyShenandoahCycle += 1
            }
            event.gcID = legacyShenandoahCycle
            event.uptimeSeconds = stamps.uptime.map { max(0, $0 - duration / 1000) }
            event.wallTimeSeconds = stamps.wall.map { $0 - duration / 1000 }
            emit(event)
            return .event
        }
        if cursor.skip("Concurrent ") {
            if legacyShenandoahCycle != openShenandoahCycleID ?? legacyShenandoahCycle { flushShenandoahCycle() }
            recordShenandoahConcurrentPhase(cursor, gcID: legacyShenandoahCycle, lineNumber: lineNumber) { _ in stamps }
            return .detail
        }
        return .unrecognized
    }
}
