#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomCore

/// The `[...]` decorations in front of a unified-logging (`-Xlog`) line.
///
/// Any subset and order of decorators is accepted. A log prints the same decorations on every
/// line, so the kinds found on one line (a `Layout`) are taken for the next, checked only by each
/// decoration's first byte; the message start is all most lines need. Times and tags are read
/// from the brackets again, on demand, for the few lines that matter.
package struct UnifiedDecorators {
    /// What one decoration is.
    enum Kind: UInt8 {
        case wallClock, uptimeSeconds, uptimeMillis, uptimeNanos, epochMillis, epochNanos
        case number, level, tags, hostName
    }

    enum Level { case trace, debug, info, warning, error }

    /// The kinds of a line's decorations in order, packed four bits each (at most 16), with the
    /// checks the fast path makes as bit masks (one bit per position).
    struct Layout: Equatable {
        private(set) var count = 0
        private var packed: UInt64 = 0
        /// Positions whose first byte must be a digit (clocks, numbers).
        private(set) var digitPositions: UInt16 = 0
        /// Positions whose first byte must be neither a digit nor a space (level, tags).
        private(set) var wordPositions: UInt16 = 0
        /// Positions holding a seconds uptime, which must end in `s`.
        private(set) var secondsPositions: UInt16 = 0
        static let capacity = 16

        func kind(at index: Int) -> Kind {
            Kind(rawValue: UInt8(truncatingIfNeeded: packed >> (UInt64(index) * 4)) & 0xF) ?? .hostName
        }

        mutating func append(_ kind: Kind) {
            guard count < Self.capacity else { return }
            packed |= UInt64(kind.rawValue) << (UInt64(count) * 4)
            let bit = UInt16(1) << UInt16(count)
            switch kind {
            case .level, .tags: wordPositions |= bit
            case .hostName: break
            case .uptimeSeconds: digitPositions |= bit; secondsPositions |= bit
            default: digitPositions |= bit
            }
            count += 1
        }
    }

    let layout: Layout
    /// Offset of the message after the decorations.
    let messageStart: Int

    /// Epoch milliseconds below this are taken as uptime (about 3 years of JVM uptime).
    static let epochMillisThreshold = 100_000_000_000.0
    static let epochNanosThreshold = 100_000_000_000_000_000.0
    static let longestDecoration = 64

    /// Locates the decorations of `line`; nil when it does not start like a unified line.
    /// `layout` is the previous line's layout, tried first, and is updated.
    static func locate(in line: UnsafeBufferPointer<UInt8>, layout: inout Layout) -> UnifiedDecorators? {
        if layout.count > 0, let start = messageStart(in: line, following: layout) {
            return UnifiedDecorators(layout: layout, messageStart: start)
        }
        var found = Layout()
        var index = 0
        var hasClockLevelOrTags = false
        while index < line.count, line[index] == UInt8(ascii: "["), found.count < Layout.capacity {
            guard let close = closingBracket(in: line, after: index), let kind = classify(trimmed((index + 1)..<close, in: line), in: line) else {
                break
            }
            if kind != .number && kind != .hostName { hasClockLevelOrTags = true }
            found.append(kind)
            index = close + 1
        }
        guard found.count > 0, hasClockLevelOrTags else { return nil }
        layout = found
        return UnifiedDecorators(layout: found, messageStart: skipSpaces(in: line, from: index))
    }

    /// The fast path: each decoration found with `memchr` and checked by its first byte (a digit
    /// for clocks and numbers, not for the rest).
    private static func messageStart(in line: UnsafeBufferPointer<UInt8>, following layout: Layout) -> Int? {
        var index = 0
        var bit: UInt16 = 1
        for _ in 0..<layout.count {
            guard let close = closingBracket(in: line, after: index) else { return nil }
            let first = line[index + 1]
            let isDigit = first >= 48 && first <= 57
            if layout.digitPositions & bit != 0 {
                if !isDigit || (layout.secondsPositions & bit != 0 && line[close - 1] != UInt8(ascii: "s")) { return nil }
            } else if layout.wordPositions & bit != 0 {
                if isDigit || first == UInt8(ascii: " ") { return nil }
            } else if isDigit {
                return nil
            }
            bit <<= 1
            index = close + 1
        }
        guard index >= line.count || line[index] != UInt8(ascii: "[") else { return nil }
        return skipSpaces(in: line, from: index)
    }

    /// Index of the `]` closing the `[` at `open`, within the longest decoration.
    @inline(__always)
    private static func closingBracket(in line: UnsafeBufferPointer<UInt8>, after open: Int) -> Int? {
        let start = open + 1
        guard start < line.count, line[open] == UInt8(ascii: "["), let base = line.baseAddress,
            let hit = memchr(base + start, Int32(UInt8(ascii: "]")), min(longestDecoration, line.count - start))
        else { return nil }
        let close = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        return close > start ? close : nil
    }

    private static func skipSpaces(in line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < line.count, line[index] == UInt8(ascii: " ") { index += 1 }
        return index
    }

    private static func trimmed(_ range: Range<Int>, in line: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, line[lower] == UInt8(ascii: " ") { lower += 1 }
        while upper > lower, line[upper - 1] == UInt8(ascii: " ") { upper -= 1 }
        return lower..<upper
    }

    /// What a decoration is; nil when the bracket does not look like a decoration at all.
    private static func classify(_ range: Range<Int>, in line: UnsafeBufferPointer<UInt8>) -> Kind? {
        let lower = range.lowerBound
        let upper = range.upperBound
        guard lower < upper else { return nil }
        let first = line[lower]
        let last = line[upper - 1]
        let isDigit = { (byte: UInt8) in byte >= 48 && byte <= 57 }
        let isLower = { (byte: UInt8) in byte >= 97 && byte <= 122 }
        if isDigit(first) {
            if upper - lower >= 19, line[lower + 4] == UInt8(ascii: "-"), line[lower + 10] == UInt8(ascii: "T") {
                return .wallClock
            }
            if last == UInt8(ascii: "s") {
                let beforeUnit = upper - 2 >= lower ? line[upper - 2] : 0
                guard beforeUnit == UInt8(ascii: "m") || beforeUnit == UInt8(ascii: "n") else { return .uptimeSeconds }
                var cursor = ByteCursor(line, position: lower)
                let value = cursor.parseDecimal() ?? 0
                if beforeUnit == UInt8(ascii: "m") { return value >= epochMillisThreshold ? .epochMillis : .uptimeMillis }
                return value >= epochNanosThreshold ? .epochNanos : .uptimeNanos
            }
            for offset in lower..<upper where !isDigit(line[offset]) { return nil }
            return .number
        }
        guard isLower(first) || (first >= 65 && first <= 90) else { return nil }
        let length = upper - lower
        let second = length > 1 ? line[lower + 1] : 0
        switch (first, length) {
        case (UInt8(ascii: "i"), 4) where second == UInt8(ascii: "n"),
            (UInt8(ascii: "d"), 5) where second == UInt8(ascii: "e"),
            (UInt8(ascii: "t"), 5) where second == UInt8(ascii: "r"),
            (UInt8(ascii: "w"), 7) where second == UInt8(ascii: "a"),
            (UInt8(ascii: "e"), 5) where second == UInt8(ascii: "r"):
            return .level
        default:
            // Tags (`gc,heap`) are lower-case words joined by commas; anything else of host-name
            // characters is a host name.
            var looksLikeTags = isLower(first)
            for offset in lower..<upper {
                let byte = line[offset]
                let isTagByte = isLower(byte) || isDigit(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "_")
                if !isTagByte {
                    looksLikeTags = false
                    let isHostByte = (byte >= 65 && byte <= 90) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
                    if !isHostByte { return nil }
                }
            }
            return looksLikeTags ? .tags : .hostName
        }
    }

    /// The trimmed content of the last decoration `wanted` accepts, walking the brackets again
    /// (no allocation: this runs for every event).
    private func lastRange(where wanted: (Kind) -> Bool, in line: UnsafeBufferPointer<UInt8>) -> (Kind, Range<Int>)? {
        var found: (Kind, Range<Int>)?
        var index = 0
        for position in 0..<layout.count {
            guard let close = Self.closingBracket(in: line, after: index) else { break }
            let kind = layout.kind(at: position)
            if wanted(kind) { found = (kind, Self.trimmed((index + 1)..<close, in: line)) }
            index = close + 1
        }
        return found
    }

    /// Uptime in seconds, when decorated; the most precise of several (printed last).
    func uptimeSeconds(in line: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let (kind, range) = lastRange(where: { $0 == .uptimeSeconds || $0 == .uptimeMillis || $0 == .uptimeNanos }, in: line) else {
            return nil
        }
        var cursor = ByteCursor(line, position: range.lowerBound)
        guard let value = cursor.parseDecimal() else { return nil }
        switch kind {
        case .uptimeMillis: return value / 1000
        case .uptimeNanos: return value / 1_000_000_000
        default: return value
        }
    }

    /// Wall-clock time in seconds since the epoch, when decorated.
    func wallTimeSeconds(in line: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let (kind, range) = lastRange(where: { $0 == .wallClock || $0 == .epochMillis || $0 == .epochNanos }, in: line) else {
            return nil
        }
        if kind == .wallClock { return WallClockParser.epochSeconds(in: line, range: range) }
        var cursor = ByteCursor(line, position: range.lowerBound)
        guard let value = cursor.parseDecimal() else { return nil }
        return kind == .epochMillis ? value / 1000 : value / 1_000_000_000
    }

    /// The level, `info` when not decorated.
    func level(in line: UnsafeBufferPointer<UInt8>) -> Level {
        guard let (_, range) = lastRange(where: { $0 == .level }, in: line), !range.isEmpty else { return .info }
        switch line[range.lowerBound] {
        case UInt8(ascii: "t"): return .trace
        case UInt8(ascii: "d"): return .debug
        case UInt8(ascii: "w"): return .warning
        case UInt8(ascii: "e"): return .error
        default: return .info
        }
    }

    /// Whether the line carries a tags decoration.
    var hasTags: Bool {
        (0..<layout.count).contains { layout.kind(at: $0) == .tags }
    }

    /// Whether the tags decoration contains `gc` as one of its tags.
    func hasGCTag(in line: UnsafeBufferPointer<UInt8>) -> Bool {
        // The JVM prints tags last, after any host name: the last candidate wins.
        guard let (_, tags) = lastRange(where: { $0 == .tags }, in: line) else { return false }
        var start = tags.lowerBound
        for index in tags.lowerBound...tags.upperBound {
            if index == tags.upperBound || line[index] == UInt8(ascii: ",") {
                if index - start == 2, line[start] == UInt8(ascii: "g"), line[start + 1] == UInt8(ascii: "c") {
                    return true
                }
                start = index + 1
            }
        }
        return false
    }
}
