import HeadroomCore

/// What the JDK 8 legacy parser carries from one line to the next.
package struct LegacyState {
    /// The collection whose bracket is still open (its closing `, N secs]` not yet read).
    var open: GCEvent? {
        didSet { hasOpen = open != nil }
    }
    /// Bracket depth inside `open`; 0 when none is open.
    var depth = 0
    /// The collection read last, held until its G1 detail lines (`[Eden: ... Heap: ...]`) are read.
    var held: GCEvent? {
        didSet { hasHeld = held != nil }
    }
    /// Kept apart from the events themselves: testing a large optional copies it.
    private(set) var hasOpen = false
    private(set) var hasHeld = false

    /// Whether an event is open or held (a unified line then sends the held one).
    var isHoldingEvents: Bool { hasOpen || hasHeld }
    /// A young collection that turned out to collect the old generation as well.
    var sawOldGenerationCollection = false
}

/// The timestamps in front of a legacy event: `2013-11-02T10:20:35.960+0100: 0.199: [GC ...`.
package enum LegacyTimestamp {
    /// Reads the uptime and wall time printed just before `bracket`.
    static func read(in line: UnsafeBufferPointer<UInt8>, before bracket: Int) -> (uptime: Double?, wall: Double?) {
        var index = bracket
        var uptime: Double?
        var wall: Double?
        func skipSeparators() {
            while index > 0, line[index - 1] == UInt8(ascii: " ") || line[index - 1] == UInt8(ascii: ":") { index -= 1 }
        }
        skipSeparators()
        var start = index
        while start > 0, isNumberByte(line[start - 1]) { start -= 1 }
        if start < index {
            let hasFraction = line[start..<index].contains(UInt8(ascii: ".")) || line[start..<index].contains(UInt8(ascii: ","))
            let prefixByte = start > 0 ? line[start - 1] : UInt8(ascii: " ")
            if hasFraction && prefixByte != UInt8(ascii: "+") && prefixByte != UInt8(ascii: "-") && prefixByte != UInt8(ascii: ":") {
                var cursor = ByteCursor(line, position: start)
                uptime = cursor.parseDecimal()
                index = start
                skipSeparators()
            }
        }
        // A date stamp ends here: 2013-11-02T10:20:35.960+0100 (28 bytes).
        let stampLength = 28
        if index >= stampLength {
            let stampStart = index - stampLength
            if line[stampStart + 4] == UInt8(ascii: "-"), line[stampStart + 10] == UInt8(ascii: "T") {
                wall = WallClockParser.epochSeconds(in: line, range: stampStart..<index)
            }
        }
        return (uptime, wall)
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",")
    }
}
