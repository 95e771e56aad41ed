import HeadroomCore

/// Reads GC log lines of any supported format and sends events and JVM facts to a sink.
///
/// One parser follows one JVM's history across the files of a rotated set: give it the files
/// in time order. Unified (`-Xlog`, JDK 9+) and JDK 8 legacy (`-XX:+PrintGCDetails`) lines are
/// told apart line by line, so a file that mixes them still reads. Memory stays flat: only the
/// details of the few collections still being printed are kept.
public struct GCLogParser {
    let sink: GCLogSink
    public internal(set) var coverage = LineCoverage()
    /// Facts about the JVM of the current segment.
    var header = JVMHeader()
    var segment = 0
    var eventsInSegment = 0
    var lastUptime: Double?
    var lastGCID: Int?
    /// How far back a GC id may go before it means another JVM (Serial prints GC(n+1) before GC(n)).
    static let gcIDReorderingAllowance = 16
    /// How far a file's first GC id may pass the previous file's last before collections count
    /// as missing (G1's concurrent cycles take ids between pauses).
    static let gcIDGapAllowance = 3
    /// Collections missing between files of a set (a rotated file left out), first ones only.
    public private(set) var gaps: [String] = []
    /// Signs of two or more JVMs writing into one file at once: runs that began mid-way (the
    /// clock or ids went back, but not to a JVM's start) and new GC ids below earlier ones.
    public private(set) var resumedRuns: (count: Int, first: SourceLocation?) = (0, nil)
    /// How many signs of interleaving make the input count as several JVMs at once.
    public static let interleavingSignsNeeded = 3
    /// The last pause uptimes of the latest runs the clock went back from.
    var earlierRunEnds: [Double] = []

    /// Pauses that start a collection with an id of its own (not a phase of an earlier cycle).
    static func takesNewID(_ kind: GCEventKind) -> Bool {
        kind == .young || kind == .mixed || kind == .full
    }
    var file = ""
    var pending = PendingCollections()
    /// A Serial/CMS full collection held back one pause: its young collection may enclose it.
    var heldFullPause: GCEvent?
    /// The Shenandoah cycle whose concurrent phases are being read.
    var openShenandoahCycle: GCEvent? {
        didSet { openShenandoahCycleID = openShenandoahCycle?.gcID }
    }
    /// The GC id of `openShenandoahCycle`, kept apart: testing a large optional copies it.
    private(set) var openShenandoahCycleID: Int?
    /// JDK 8 Shenandoah prints no GC ids: its cycles are numbered here, from their initial marks.
    var legacyShenandoahCycle = 0
    var legacy = LegacyState()
    /// Set when the current file's first event is seen, to compare clocks across files.
    var sawEventInFile = false
    /// How the last unified line was read, for the undecorated lines of a multi-line message.
    var lastUnifiedClass: LineClass?
    var causeNames = CauseNames()
    /// The decorations of the last unified line, tried first on the next.
    var decoratorLayout = UnifiedDecorators.Layout()
    /// Inside the statistics table some collectors print at exit, until the next collection.
    var inStatisticsBlock = false

    public init(sink: GCLogSink) {
        self.sink = sink
    }

    /// Parses every line of one input. Call it once per file of a set, oldest first.
    public mutating func parse(_ reader: LineReader, file: String) throws {
        self.file = file
        sawEventInFile = false
        try reader.forEachLine { line in
            let lineClass = classify(line)
            coverage.count(lineClass, line: line, file: file)
        }
    }

    /// Sends what is still held back; call after the last file.
    public mutating func finish() {
        abandonOpenLegacyEvent()
        flushLegacy()
        flushShenandoahCycle()
        flushHeldPause()
        sink.record(header: header, forSegment: segment)
    }

    private mutating func classify(_ line: Line) -> LineClass {
        let bytes = line.bytes
        guard let first = bytes.first else { return .blank }
        if first == UInt8(ascii: "["), let decorators = UnifiedDecorators.locate(in: bytes, layout: &decoratorLayout) {
            if legacy.isHoldingEvents { flushLegacy() }
            let lineClass = parseUnified(bytes, decorators: decorators, lineNumber: line.number)
            lastUnifiedClass = lineClass
            return lineClass
        }
        var onlySpaces = true
        for byte in bytes where byte != UInt8(ascii: " ") && byte != 9 {
            onlySpaces = false
            break
        }
        if onlySpaces { return .blank }
        let lineClass = parseLegacy(bytes, lineNumber: line.number)
        if lineClass == .unrecognized, let previous = lastUnifiedClass, previous == .otherSubsystem {
            // The next line of a message that spans lines (an exception, a statistics table).
            return previous
        }
        lastUnifiedClass = nil
        return lineClass
    }

    func location(_ lineNumber: Int) -> SourceLocation {
        SourceLocation(file: file, line: lineNumber)
    }

    /// Sends an event, starting a new segment first when the JVM's clock went back.
    mutating func emit(_ event: GCEvent) {
        var event = event
        let segmentBefore = segment
        var resumesEarlierRun = false
        defer {
            if segment != segmentBefore, resumesEarlierRun || (event.gcID ?? 0) > Self.gcIDReorderingAllowance {
                resumedRuns = (resumedRuns.count + 1, resumedRuns.first ?? event.location)
            }
        }
        // Pauses are written in time order; a concurrent cycle is written when it ends but stamped
        // with its start, so only pauses tell a restart by the clock.
        if event.isPause, let uptime = event.uptimeSeconds {
            if let last = lastUptime, uptime + 1.0 < last, eventsInSegment > 0 {
                // A run that ended at or before this uptime is being continued, not restarted.
                resumesEarlierRun = earlierRunEnds.contains { $0 <= uptime }
                earlierRunEnds = Array((earlierRunEnds + [last]).suffix(8))
                let reason = sawEventInFile
                    ? "JVM uptime went back from \(formatSeconds(last)) to \(formatSeconds(uptime)) s: a restart"
                    : "file starts at uptime \(formatSeconds(uptime)) s, before the previous file ended (\(formatSeconds(last)) s): another JVM run"
                startSegment(at: event.location, reason: reason)
            }
            lastUptime = uptime
        }
        // GC ids only grow within a JVM, but a concurrent cycle's remark and cleanup pauses keep
        // the cycle's id and may come dozens of young pauses later (a small heap under pressure):
        // only the pauses that take a new id tell a restart by their ids.
        if let id = event.gcID, Self.takesNewID(event.kind) {
            if let last = lastGCID, last > id, last - id > Self.gcIDReorderingAllowance, eventsInSegment > 0 {
                startSegment(at: event.location, reason: "GC ids went back from \(last) to \(id): another JVM run")
            } else if let last = lastGCID, id + 1 < last, eventsInSegment > 0 {
                // Within one JVM a new id only goes back by one (Serial's escalation); more, and
                // another JVM's collections are mixed in.
                resumedRuns = (resumedRuns.count + 1, resumedRuns.first ?? event.location)
            } else if let last = lastGCID, !sawEventInFile, id - last > Self.gcIDGapAllowance, eventsInSegment > 0, gaps.count < 20 {
                gaps.append("\(event.location) starts at GC(\(id)), but the file before ended at GC(\(last)): about \(id - last - 1) collections are missing (a rotated file left out?)")
            }
            lastGCID = max(id, eventsInSegment > 0 ? (lastGCID ?? id) : id)
        }
        sawEventInFile = true
        event.segment = segment
        if event.isPause && event.kind == .full && [.serial, .cms, .unknown].contains(header.collector) && event.gcID != nil {
            flushHeldPause()
            heldFullPause = event
            return
        }
        if let held = heldFullPause {
            heldFullPause = nil
            if let merged = Self.mergeEscalation(young: event, full: held) {
                eventsInSegment += 1
                sink.record(merged)
                return
            }
            eventsInSegment += 1
            sink.record(held)
        }
        eventsInSegment += 1
        sink.record(event)
    }

    /// Serial and CMS log a young collection that escalates to a full one as two pauses: the full
    /// one (GC id n+1) inside the young one (GC id n). It is one stop of the world.
    static func mergeEscalation(young: GCEvent, full: GCEvent) -> GCEvent? {
        guard young.isPause, young.kind == .young, let youngID = young.gcID, let fullID = full.gcID,
            fullID == youngID + 1, let youngStart = young.uptimeSeconds, let fullStart = full.uptimeSeconds
        else { return nil }
        let youngEnd = youngStart + (young.durationMs ?? 0) / 1000
        let fullEnd = fullStart + (full.durationMs ?? 0) / 1000
        guard youngStart <= fullStart + 0.002, abs(youngEnd - fullEnd) < 0.01 else { return nil }
        var merged = full
        merged.gcID = youngID
        merged.durationMs = max(young.durationMs ?? 0, full.durationMs ?? 0)
        merged.heap = young.heap ?? full.heap
        merged.location = young.location
        return merged
    }

    mutating func flushHeldPause() {
        if let held = heldFullPause {
            heldFullPause = nil
            eventsInSegment += 1
            sink.record(held)
        }
    }

    /// A line that only a starting JVM prints: when events were already seen, a new run begins.
    mutating func noteJVMStart(at lineNumber: Int, what: String) {
        guard eventsInSegment > 0 else { return }
        startSegment(at: location(lineNumber), reason: "\(what) after collections: a new JVM run")
        lastUptime = nil
        lastGCID = nil
    }

    mutating func startSegment(at location: SourceLocation, reason: String) {
        flushHeldPause()
        sink.record(header: header, forSegment: segment)
        segment += 1
        eventsInSegment = 0
        header = JVMHeader()
        pending.removeAll()
        sink.beginSegment(segment, at: location, reason: reason)
    }
}

package func formatSeconds(_ value: Double) -> String {
    let rounded = (value * 1000).rounded() / 1000
    return String(rounded)
}
