import HeadroomCore

/// Unified-logging (`-Xlog`, JDK 9 to 25) lines: collections, pauses and their details.
package extension GCLogParser {
    mutating func parseUnified(_ line: UnsafeBufferPointer<UInt8>, decorators: UnifiedDecorators, lineNumber: Int) -> LineClass {
        var cursor = ByteCursor(line, position: decorators.messageStart)
        guard !cursor.isAtEnd else { return .detail }
        guard cursor.skip("GC(") else {
            if openShenandoahCycleID != nil { flushShenandoahCycle() }
            if let headerClass = parseUnifiedHeader(cursor, lineNumber: lineNumber) { return headerClass }
            if decorators.hasTags {
                return decorators.hasGCTag(in: line) ? .detail : .otherSubsystem
            }
            if inStatisticsBlock { return .detail }
            if UntaggedLines.startsStatistics(cursor) {
                inStatisticsBlock = true
                return .detail
            }
            return UntaggedLines.classify(cursor)
        }
        inStatisticsBlock = false
        guard let id = cursor.parseInteger(), cursor.skip(")") else { return .unrecognized }
        let gcID = Int(id)
        cursor.skipSpaces()
        var generation: UInt8?
        // Generational ZGC prefixes a generation: `Y:`/`O:` (early JDK 21 builds: `y:`/`o:`).
        if let first = cursor.peek(), cursor.peek(1) == UInt8(ascii: ":"),
            first == UInt8(ascii: "Y") || first == UInt8(ascii: "O") || first == UInt8(ascii: "y") || first == UInt8(ascii: "o")
        {
            generation = first & 0xDF
            cursor.position += 2
            cursor.skipSpaces()
            header.collector = header.collector.refined(by: .generationalZGC)
        }
        if let cycleID = openShenandoahCycleID, gcID != cycleID { flushShenandoahCycle() }
        guard let first = cursor.peek() else { return .detail }
        switch first {
        case UInt8(ascii: "P"):
            if cursor.skip("Pause ") {
                return parsePause(cursor, gcID: gcID, decorators: decorators, lineNumber: lineNumber)
            }
            if cursor.hasPrefix("PSYoungGen:") || cursor.hasPrefix("ParNew:") {
                recordGeneration(cursor, gcID: gcID, young: true)
                return .detail
            }
            if cursor.hasPrefix("PSOldGen:") || cursor.hasPrefix("ParOldGen:") {
                recordGeneration(cursor, gcID: gcID, young: false)
                return .detail
            }
        case UInt8(ascii: "G"):
            if cursor.skip("Garbage Collection (") {
                return parseZCycle(cursor, scope: .wholeHeap, gcID: gcID, decorators: decorators, lineNumber: lineNumber)
            }
        case UInt8(ascii: "M"):
            if cursor.skip("Major Collection (") {
                return parseZCycle(cursor, scope: .major, gcID: gcID, decorators: decorators, lineNumber: lineNumber)
            }
            if cursor.skip("Minor Collection (") {
                return parseZCycle(cursor, scope: .minor, gcID: gcID, decorators: decorators, lineNumber: lineNumber)
            }
            if cursor.hasPrefix("Metaspace:") {
                recordMetaspace(cursor, gcID: gcID)
                return .detail
            }
            if cursor.skip("Max Capacity: ") {
                header.maxHeapBytes = cursor.parseSize() ?? header.maxHeapBytes
                return .detail
            }
        case UInt8(ascii: "Y"), UInt8(ascii: "O"):
            if cursor.skip("Young Generation ") || cursor.skip("Old Generation ") {
                let isYoung = first == UInt8(ascii: "Y")
                guard cursor.peek().map({ $0 >= 48 && $0 <= 57 }) == true else { return .detail }
                if let change = Self.parseZSizeChange(&cursor) {
                    pending.withCollection(gcID) { collection in
                        if isYoung { collection.youngGeneration = change } else { collection.oldGeneration = change }
                    }
                }
                return .detail
            }
            if cursor.hasPrefix("Old regions:") {
                recordRegions(cursor, gcID: gcID) { $0.oldRegions = $1 }
                return .detail
            }
        case UInt8(ascii: "E"):
            if cursor.hasPrefix("Eden regions:") {
                recordRegions(cursor, gcID: gcID) { $0.edenRegions = $1 }
                return .detail
            }
            if cursor.hasPrefix("Evacuation Failure") {
                pending.withCollection(gcID) { $0.evacuationFailure = true }
                return .detail
            }
        case UInt8(ascii: "S"):
            if cursor.hasPrefix("Survivor regions:") {
                recordRegions(cursor, gcID: gcID) { $0.survivorRegions = $1 }
                return .detail
            }
        case UInt8(ascii: "H"):
            if cursor.hasPrefix("Humongous regions:") {
                recordRegions(cursor, gcID: gcID) { $0.humongousRegions = $1 }
                return .detail
            }
        case UInt8(ascii: "D"):
            if cursor.hasPrefix("DefNew:") {
                recordGeneration(cursor, gcID: gcID, young: true)
                return .detail
            }
        case UInt8(ascii: "T"):
            if cursor.hasPrefix("Tenured:") {
                recordGeneration(cursor, gcID: gcID, young: false)
                return .detail
            }
            if cursor.hasPrefix("To-space exhausted") {
                pending.withCollection(gcID) { $0.evacuationFailure = true }
                return .detail
            }
        case UInt8(ascii: "C"):
            if cursor.hasPrefix("CMS:") {
                recordGeneration(cursor, gcID: gcID, young: false)
                return .detail
            }
            if cursor.skip("Capacity:") {
                recordZCapacity(cursor, gcID: gcID)
                return .detail
            }
            if cursor.skip("Concurrent ") {
                recordShenandoahConcurrentPhase(cursor, gcID: gcID, lineNumber: lineNumber) { line in
                    (decorators.uptimeSeconds(in: line), decorators.wallTimeSeconds(in: line))
                }
                return .detail
            }
        case UInt8(ascii: "L"):
            if cursor.skip("Live:") { recordZLive(cursor, gcID: gcID, generation: generation) }
            return .detail
        default:
            break
        }
        return .detail
    }

    /// `Pause Young (Normal) (G1 Evacuation Pause) 24M->4M(256M) 3.456ms` and every other pause.
    private mutating func parsePause(_ cursor: ByteCursor, gcID: Int, decorators: UnifiedDecorators, lineNumber: Int) -> LineClass {
        var cursor = cursor
        // A summary ends in its duration (`3.456ms`, `0.012s`); the `gc,start` line has none.
        guard Self.endsWithDuration(cursor.bytes) else {
            return .detail  // the `gc,start` line of a pause, or a debug line about it, without figures
        }
        // A summary whose figures do not read (sizes beyond Int64, negative sizes) is shown as
        // not understood rather than dropped without a word.
        guard let parts = PauseLineParts.parse(&cursor), let duration = parts.durationMs,
            parts.heap != nil || !ByteCursor(cursor.bytes).contains("->")
        else { return .unrecognized }
        let line = cursor.bytes
        var event = pauseEvent(parts, in: line, gcID: gcID, lineNumber: lineNumber)
        // Unified lines are written when the pause ends.
        if let uptime = decorators.uptimeSeconds(in: line) { event.uptimeSeconds = max(0, uptime - duration / 1000) }
        if let wall = decorators.wallTimeSeconds(in: line) { event.wallTimeSeconds = wall - duration / 1000 }
        emit(event)
        return .event
    }

    /// Whether a line ends in a duration (`3.456ms`, `0.012s`, `12us`), as pause summaries do.
    static func endsWithDuration(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = line.count - 1
        guard index >= 0, line[index] == UInt8(ascii: "s") else { return false }
        index -= 1
        if index >= 0, [UInt8(ascii: "m"), UInt8(ascii: "u"), UInt8(ascii: "n")].contains(line[index]) { index -= 1 }
        var digits = 0
        while index >= 0, (line[index] >= 0x30 && line[index] <= 0x39) || line[index] == UInt8(ascii: ".") || line[index] == UInt8(ascii: ",") {
            if line[index] != UInt8(ascii: "."), line[index] != UInt8(ascii: ",") { digits += 1 }
            index -= 1
        }
        return digits > 0 && (index < 0 || line[index] == UInt8(ascii: " "))
    }

    /// ZGC's cycle summary: `Garbage Collection (Warmup) 208M(10%)->164M(8%)`, or generational
    /// ZGC's `Major Collection (Warmup) 32M(2%)->24M(1%) 0.123s`.
    /// What a ZGC cycle collected: the whole heap (single-generation ZGC), or, in generational
    /// ZGC, both generations (major) or only the young one (minor).
    enum ZCycleScope { case wholeHeap, major, minor }

    private mutating func parseZCycle(
        _ cursor: ByteCursor, scope: ZCycleScope, gcID: Int, decorators: UnifiedDecorators, lineNumber: Int
    ) -> LineClass {
        var cursor = cursor
        let line = cursor.bytes
        let causeStart = cursor.position
        guard let causeEnd = PauseLineParts.closingParenthesis(in: line, openedBefore: causeStart) else { return .detail }
        cursor.position = causeEnd + 1
        cursor.skipSpaces()
        let endUptime = decorators.uptimeSeconds(in: line)
        guard let change = Self.parseZSizeChange(&cursor) else {
            pending.withCollection(gcID) { $0.cycleStartUptime = endUptime }
            return .detail
        }
        cursor.skipSpaces()
        let duration = cursor.parseDurationMs()
        let details = pending.take(gcID)
        var event = GCEvent(kind: scope == .minor ? .young : .concurrentCycle, isPause: false, location: location(lineNumber))
        event.gcID = gcID
        event.cause = cursor.string(from: causeStart, to: causeEnd)
        event.durationMs = duration
        event.heap = OccupancyChange(beforeBytes: change.beforeBytes, afterBytes: change.afterBytes, capacityBytes: details?.capacityBytes)
        if let start = details?.cycleStartUptime {
            event.uptimeSeconds = start
        } else if let endUptime {
            event.uptimeSeconds = max(0, endUptime - (duration ?? 0) / 1000)
        }
        if let wall = decorators.wallTimeSeconds(in: line) {
            event.wallTimeSeconds = wall - ((endUptime ?? 0) - (event.uptimeSeconds ?? endUptime ?? 0))
        }
        event.youngGeneration = details?.youngGeneration
        event.oldGeneration = details?.oldGeneration
        switch scope {
        case .wholeHeap:
            event.reportedLiveBytes = details?.liveBytes
        case .major:
            header.collector = header.collector.refined(by: .generationalZGC)
            if let old = details?.oldLiveBytes {
                event.reportedLiveBytes = old + (details?.youngLiveBytes ?? 0)
            }
        case .minor:
            header.collector = header.collector.refined(by: .generationalZGC)
        }
        emit(event)
        return .event
    }

    /// ZGC sizes: `208M(10%)->164M(8%)`.
    static func parseZSizeChange(_ cursor: inout ByteCursor) -> OccupancyChange? {
        guard let before = cursor.parseSize() else { return nil }
        if cursor.skip("(") { while let byte = cursor.peek(), byte != UInt8(ascii: ")") { cursor.position += 1 }; _ = cursor.skip(")") }
        guard cursor.skip("->"), let after = cursor.parseSize() else { return nil }
        if cursor.skip("(") { while let byte = cursor.peek(), byte != UInt8(ascii: ")") { cursor.position += 1 }; _ = cursor.skip(")") }
        return OccupancyChange(beforeBytes: before, afterBytes: after, capacityBytes: nil)
    }

    /// ZGC's `Live:` row: the first figure is the live bytes found by marking.
    private mutating func recordZLive(_ cursor: ByteCursor, gcID: Int, generation: UInt8?) {
        var cursor = cursor
        while !cursor.isAtEnd {
            cursor.skipSpaces()
            if let size = cursor.parseSize() {
                pending.withCollection(gcID) { collection in
                    switch generation {
                    case UInt8(ascii: "Y"): collection.youngLiveBytes = size
                    case UInt8(ascii: "O"): collection.oldLiveBytes = size
                    default: collection.liveBytes = size
                    }
                }
                return
            }
            cursor.position += 1
        }
    }

    private mutating func recordZCapacity(_ cursor: ByteCursor, gcID: Int) {
        var cursor = cursor
        cursor.skipSpaces()
        if let size = cursor.parseSize() {
            pending.withCollection(gcID) { $0.capacityBytes = size }
        }
    }

    /// `PSYoungGen: 65536K->10720K(76288K)` or `PSYoungGen: 65536K(76288K)->10720K(76288K) Eden: ...`.
    private mutating func recordGeneration(_ cursor: ByteCursor, gcID: Int, young: Bool) {
        var cursor = cursor
        guard let colon = cursor.index(ofByte: UInt8(ascii: ":")) else { return }
        cursor.position = colon + 1
        cursor.skipSpaces()
        guard let change = Self.parseSizeChange(&cursor) else { return }
        pending.withCollection(gcID) { collection in
            if young { collection.youngGeneration = change } else { collection.oldGeneration = change }
        }
    }

    private mutating func recordMetaspace(_ cursor: ByteCursor, gcID: Int) {
        var cursor = cursor
        cursor.position += "Metaspace:".utf8.count
        cursor.skipSpaces()
        guard let change = Self.parseSizeChange(&cursor) else { return }
        pending.withCollection(gcID) { $0.metaspace = change }
    }

    private mutating func recordRegions(_ cursor: ByteCursor, gcID: Int, _ store: (inout PendingCollection, (before: Int64, after: Int64)) -> Void) {
        var cursor = cursor
        guard let colon = cursor.index(ofByte: UInt8(ascii: ":")) else { return }
        cursor.position = colon + 1
        cursor.skipSpaces()
        guard let before = cursor.parseInteger(), cursor.skip("->"), let after = cursor.parseInteger() else { return }
        pending.withCollection(gcID) { store(&$0, (before, after)) }
    }

    /// `A->B(C)` or `A(Ca)->B(Cb)`, the forms HotSpot prints for a generation.
    static func parseSizeChange(_ cursor: inout ByteCursor) -> OccupancyChange? {
        guard let before = cursor.parseSize() else { return nil }
        if cursor.skip("(") {
            _ = cursor.parseSize()
            guard cursor.skip(")") else { return nil }
        }
        guard cursor.skip("->"), let after = cursor.parseSize() else { return nil }
        var capacity: Int64?
        if cursor.skip("(") {
            capacity = cursor.parseSize()
            _ = cursor.skip(")")
        }
        return OccupancyChange(beforeBytes: before, afterBytes: after, capacityBytes: capacity)
    }
}
