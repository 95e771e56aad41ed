import HeadroomCore

/// JDK 8 and older logs (`-XX:+PrintGCDetails`, with or without date and time stamps): G1,
/// Parallel, Serial and CMS. An event is a bracket, `[GC ... , 0.0123 secs]`, which may span
/// lines and enclose other output (tenuring tables, concurrent phases of another thread).
package extension GCLogParser {
    mutating func parseLegacy(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int) -> LineClass {
        if LegacyLines.isHeapDump(line) { return .detail }
        if legacy.hasOpen, LegacyLines.startsNewLog(line) { abandonOpenLegacyEvent() }
        if legacy.hasOpen {
            scanLegacyEvent(line, from: 0, lineNumber: lineNumber)
            return .event
        }
        if let headerClass = parseLegacyHeader(line, lineNumber: lineNumber) { return headerClass }
        if let start = LegacyLines.eventStart(in: line, from: 0) {
            inStatisticsBlock = false
            beginLegacyEvent(line, at: start, lineNumber: lineNumber)
            return .event
        }
        if let eden = ByteCursor(line).index(of: "[Eden: ") {
            attachG1Details(line, at: eden)
            return .detail
        }
        if let bracket = LegacyLines.shenandoahPhaseStart(in: line) {
            return parseLegacyShenandoah(line, bracket: bracket, lineNumber: lineNumber)
        }
        if let headerClass = parseUnifiedHeader(ByteCursor(line), lineNumber: lineNumber) { return headerClass }
        if inStatisticsBlock { return .detail }
        if UntaggedLines.startsStatistics(ByteCursor(line)) {
            inStatisticsBlock = true
            return .detail
        }
        if LegacyLines.isKnownDetail(line) { return .detail }
        return UntaggedLines.classify(ByteCursor(line))
    }

    /// Sends the event held for its detail lines (an event still open stays open: the rest of
    /// it may be in the next file of a rotated set).
    mutating func flushLegacy() {
        if let held = legacy.held {
            legacy.held = nil
            emit(held)
        }
    }

    /// Drops a collection whose closing figures never came (the log was cut mid-event).
    mutating func abandonOpenLegacyEvent() {
        guard legacy.hasOpen else { return }
        legacy.open = nil
        legacy.depth = 0
        coverage.incompleteEvents += 1
    }

    private mutating func emitLegacy(_ event: GCEvent) {
        if let held = legacy.held { emit(held) }
        legacy.held = event
    }

    private mutating func beginLegacyEvent(_ line: UnsafeBufferPointer<UInt8>, at bracket: Int, lineNumber: Int) {
        if let held = legacy.held {
            legacy.held = nil
            emit(held)
        }
        var cursor = ByteCursor(line, position: bracket + 1)
        var event = GCEvent(kind: .young, isPause: true, location: location(lineNumber))
        let stamps = LegacyTimestamp.read(in: line, before: bracket)
        event.uptimeSeconds = stamps.uptime
        event.wallTimeSeconds = stamps.wall
        if cursor.skip("Full GC") {
            event.kind = .full
        } else {
            _ = cursor.skip("GC")
            if cursor.skip(" pause") {
                header.collector = header.collector.refined(by: .g1)
            } else if cursor.skip(" remark") {
                event.kind = .remark
                header.collector = header.collector.refined(by: .g1)
            } else if cursor.skip(" cleanup") {
                event.kind = .cleanup
                header.collector = header.collector.refined(by: .g1)
            } else if cursor.skip("--") {
                event.evacuationFailure = true
            }
        }
        // Parenthesised groups: the cause, and G1's (young) (mixed) (initial-mark) (to-space exhausted).
        while true {
            cursor.skipSpaces()
            guard cursor.peek() == UInt8(ascii: "("),
                let close = PauseLineParts.closingParenthesis(in: line, openedBefore: cursor.position + 1)
            else { break }
            let group = cursor.string(from: cursor.position + 1, to: close)
            switch group {
            case "young": break
            case "mixed": event.kind = .mixed
            case "initial-mark": event.startsConcurrentCycle = true
            case "to-space exhausted", "to-space overflow": event.evacuationFailure = true
            case "CMS Initial Mark": event.kind = .initialMark; header.collector = header.collector.refined(by: .cms)
            case "CMS Final Remark": event.kind = .remark; header.collector = header.collector.refined(by: .cms)
            default: if event.cause == nil { event.cause = group }
            }
            cursor.position = close + 1
        }
        legacy.open = event
        legacy.depth = 1
        legacy.sawOldGenerationCollection = false
        scanLegacyEvent(line, from: cursor.position, lineNumber: lineNumber)
    }

    /// Follows the open event's brackets through `line`, taking its figures at depth 1 and the
    /// generations from the brackets nested in it.
    private mutating func scanLegacyEvent(_ line: UnsafeBufferPointer<UInt8>, from start: Int, lineNumber: Int) {
        var cursor = ByteCursor(line, position: start)
        while !cursor.isAtEnd, var event = legacy.open {
            let byte = line[cursor.position]
            switch byte {
            case UInt8(ascii: "["):
                legacy.depth += 1
                cursor.position += 1
                if legacy.depth == 2 { readNestedGeneration(&cursor, into: &event) }
                legacy.open = event
            case UInt8(ascii: "]"):
                legacy.depth -= 1
                cursor.position += 1
                if legacy.depth == 0 {
                    legacy.open = nil
                    emitLegacy(event)
                    if let next = LegacyLines.eventStart(in: line, from: cursor.position) {
                        beginLegacyEvent(line, at: next, lineNumber: lineNumber)
                    }
                    return
                }
            case 48...57 where legacy.depth == 1 && (cursor.position == 0 || !Self.isWordByte(line[cursor.position - 1])):
                let numberStart = cursor.position
                if let change = Self.parseSizeChange(&cursor) {
                    event.heap = change
                } else {
                    cursor.position = numberStart
                    if let duration = cursor.parseDurationMs() {
                        event.durationMs = duration
                    } else {
                        cursor.position = numberStart
                        _ = cursor.parseDecimal()
                        if cursor.position == numberStart { cursor.position += 1 }
                    }
                }
                legacy.open = event
            case UInt8(ascii: "("):
                if cursor.hasPrefix("(concurrent mode failure)") || cursor.hasPrefix("(promotion failed)") {
                    event.evacuationFailure = true
                    if cursor.hasPrefix("(concurrent mode failure)") { event.kind = .full }
                    legacy.open = event
                }
                cursor.position += 1
            default:
                cursor.position += 1
            }
        }
    }

    /// `[PSYoungGen: 33280K->5088K(38400K)]`, `[ParOldGen: ...]`, `[Metaspace: ...]` and the CMS
    /// markers that say what a `[GC` bracket really was.
    private mutating func readNestedGeneration(_ cursor: inout ByteCursor, into event: inout GCEvent) {
        let start = cursor.position
        defer { cursor.position = start }
        var isYoung = false
        var isOld = false
        var isMetaspace = false
        if cursor.hasPrefix("PSYoungGen") {
            isYoung = true
            header.collector = header.collector.refined(by: .parallel)
        } else if cursor.hasPrefix("DefNew") {
            isYoung = true
            header.collector = header.collector.refined(by: .serial)
        } else if cursor.hasPrefix("ParNew") {
            isYoung = true
            header.collector = header.collector.refined(by: .cms)
        } else if cursor.hasPrefix("ParOldGen") || cursor.hasPrefix("PSOldGen") {
            isOld = true
        } else if cursor.hasPrefix("Tenured") || Self.isCMSOldGeneration(cursor) {
            isOld = true
            if event.kind == .young { event.kind = .full }
        } else if cursor.hasPrefix("Metaspace") {
            isMetaspace = true
        } else if cursor.hasPrefix("1 CMS-initial-mark") {
            event.kind = .initialMark
            header.collector = header.collector.refined(by: .cms)
            return
        } else if cursor.hasPrefix("YG occupancy") || cursor.hasPrefix("1 CMS-remark") {
            if event.kind == .young { event.kind = .remark }
            header.collector = header.collector.refined(by: .cms)
            return
        } else {
            return
        }
        guard let colon = cursor.index(ofByte: UInt8(ascii: ":")) else { return }
        var figures = ByteCursor(cursor.bytes, position: colon + 1)
        figures.skipSpaces()
        guard let change = Self.parseSizeChange(&figures) else { return }
        if isYoung { event.youngGeneration = change }
        if isOld { event.oldGeneration = change }
        if isMetaspace { event.metaspace = change }
    }

    /// G1's summary after a pause: `[Eden: 24.0M(24.0M)->0.0B(20.0M) Survivors: 0.0B->3072.0K Heap: 24.0M(256.0M)->5000.0K(256.0M)]`.
    private mutating func attachG1Details(_ line: UnsafeBufferPointer<UInt8>, at eden: Int) {
        guard var event = legacy.held else { return }
        var cursor = ByteCursor(line, position: eden + 7)
        let young = Self.parseSizeChange(&cursor)
        var survivors: OccupancyChange?
        if let at = cursor.index(of: "Survivors: ") {
            cursor.position = at + 11
            survivors = Self.parseSizeChange(&cursor)
        }
        if let at = cursor.index(of: "Heap: ") {
            cursor.position = at + 6
            if let heap = Self.parseSizeChange(&cursor) { event.heap = heap }
        }
        if let young {
            event.youngGeneration = OccupancyChange(
                beforeBytes: young.beforeBytes + (survivors?.beforeBytes ?? 0),
                afterBytes: young.afterBytes + (survivors?.afterBytes ?? 0), capacityBytes: young.capacityBytes)
        }
        if let at = cursor.index(of: "[Metaspace: ") {
            cursor.position = at + 12
            event.metaspace = Self.parseSizeChange(&cursor)
        }
        legacy.held = event
    }

    /// `Java HotSpot(TM) 64-Bit Server VM (25.x) for linux-amd64 JRE (1.8.0_292-b10)`,
    /// `Memory: 4k page, physical 16G(2G free)`, `CommandLine flags: -XX:MaxHeapSize=...`.
    private mutating func parseLegacyHeader(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int) -> LineClass? {
        var cursor = ByteCursor(line)
        if cursor.hasPrefix("Java HotSpot") || cursor.hasPrefix("OpenJDK ") {
            noteJVMStart(at: lineNumber, what: "JVM banner")
            if let jre = cursor.index(of: "JRE ("), let close = cursor.index(ofByte: UInt8(ascii: ")"), from: jre) {
                header.jvmVersion = cursor.string(from: jre + 5, to: close)
            }
            return .header
        }
        if cursor.skip("Memory: ") {
            if let physical = cursor.index(of: "physical ") {
                cursor.position = physical + 9
                header.memoryBytes = cursor.parseSize()
            }
            return .header
        }
        if cursor.contains("GC log file created") || cursor.contains("GC log file has reached the maximum size") {
            return .header
        }
        if cursor.skip("CommandLine flags: ") {
            let flags = cursor.string(from: cursor.position, to: line.count)
            header.commandLineFlags = flags
            if let max = JVMFlags.maxHeapBytes(in: flags) { header.maxHeapBytes = max }
            if let collector = JVMFlags.collector(in: flags) { header.collector = header.collector.refined(by: collector) }
            return .header
        }
        return nil
    }

    /// `[CMS: ...]`, or `[CMS2.3: [CMS-concurrent-sweep ...] (concurrent mode failure): ...]` when
    /// another thread's output cut in; not `[CMS Perm ...]` nor `[CMS-concurrent-...]`.
    private static func isCMSOldGeneration(_ cursor: ByteCursor) -> Bool {
        guard cursor.hasPrefix("CMS"), let next = cursor.peek(3) else { return false }
        return next == UInt8(ascii: ":") || (next >= 48 && next <= 57)
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: ",")
    }
}
