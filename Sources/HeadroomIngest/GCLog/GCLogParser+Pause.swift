import HeadroomCore

/// What a `Pause …` message says, in the form every JDK since 9 prints it (and the JDK 8
/// Shenandoah backport, in brackets): the kind of pause, its cause and its figures.
package extension GCLogParser {
    /// The pause event of `parts` (read from `line`), without its time, which the caller sets
    /// from the line's stamps. Details gathered for `gcID` (generations, metaspace) are attached.
    mutating func pauseEvent(_ parts: PauseLineParts, in line: UnsafeBufferPointer<UInt8>, gcID: Int?, lineNumber: Int) -> GCEvent {
        let name = parts.name
        var kind: GCEventKind
        var startsCycle = false
        var evacuationFailure = false
        // Groups other than G1's evacuation-failure note: the pause's qualifiers and its cause.
        var groups: [Range<Int>] = []
        groups.reserveCapacity(parts.groupCount)
        for index in 0..<parts.groupCount {
            let group = parts.group(index)
            if line.bytes(in: group, startWith: "Evacuation Failure") {
                evacuationFailure = true
            } else {
                groups.append(group)
            }
        }
        var causeRange: Range<Int>? = groups.first
        if line.bytes(in: name, equal: "Young") {
            kind = .young
            if groups.count >= 2 {
                if line.bytes(in: groups[0], equal: "Mixed") { kind = .mixed }
                if line.bytes(in: groups[0], equal: "Concurrent Start") { startsCycle = true }
                causeRange = groups.last
                header.collector = header.collector.refined(by: .g1)
            }
        } else if line.bytes(in: name, equal: "Mixed") {
            kind = .mixed
        } else if line.bytes(in: name, equal: "Full") {
            kind = .full
        } else if line.bytes(in: name, equal: "Remark") {
            kind = .remark
        } else if line.bytes(in: name, equal: "Final Mark") {
            kind = .remark
            causeRange = nil
        } else if line.bytes(in: name, equal: "Cleanup") {
            kind = .cleanup
            causeRange = nil
        } else if line.bytes(in: name, equal: "Initial Mark") {
            if header.collector == .g1 {
                kind = .young
                startsCycle = true
            } else {
                kind = .initialMark
            }
        } else if line.bytes(in: name, equal: "Init Mark") {
            kind = .initialMark
            header.collector = header.collector.refined(by: .shenandoah)
            causeRange = nil
        } else if line.bytes(in: name, equal: "Mark Start") {
            kind = .markStart
            header.collector = header.collector.refined(by: .zgc)
            causeRange = nil
        } else if line.bytes(in: name, equal: "Mark End") {
            kind = .markEnd
            causeRange = nil
        } else if line.bytes(in: name, equal: "Relocate Start") {
            kind = .relocateStart
            causeRange = nil
        } else if line.bytes(in: name, equal: "Degenerated GC") {
            kind = .degenerated
        } else if line.bytes(in: name, equal: "Init Update Refs") || line.bytes(in: name, equal: "Final Update Refs") {
            kind = .updateReferences
            causeRange = nil
        } else {
            kind = .otherPause
        }
        let cause = causeRange.map { causeNames.name(in: line, range: $0) }
        var event = GCEvent(kind: kind, isPause: true, location: location(lineNumber))
        event.gcID = gcID
        event.cause = cause
        event.durationMs = parts.durationMs
        event.heap = parts.heap
        event.startsConcurrentCycle = startsCycle
        if let gcID, parts.heap != nil, var details = pending.take(gcID) {
            details.resolveRegions(regionSize: header.regionSizeBytes)
            event.youngGeneration = details.youngGeneration
            event.oldGeneration = details.oldGeneration
            event.metaspace = details.metaspace
            evacuationFailure = evacuationFailure || details.evacuationFailure
        }
        event.evacuationFailure = evacuationFailure
        if kind == .degenerated || (kind == .full && header.collector == .shenandoah) {
            openShenandoahCycle = nil
        }
        return event
    }
}
