/// The `[...]` decorations in front of a unified-logging (`-Xlog`) line, located but not yet parsed.
///
/// Any subset and order of decorators is accepted. Ranges are kept as offsets so that the
/// timestamps are only converted for lines that turn out to matter.
struct UnifiedDecorators {
    /// Offset of the message after the decorations.
    var messageStart = 0
    var wallClock: Range<Int>?
    var uptime: Range<Int>?
    var uptimeUnit: TimeUnit = .seconds
    var epochTime: Range<Int>?
    var epochUnit: TimeUnit = .milliseconds
    var level: Level = .info
    var hasLevel = false
    var tags: Range<Int>?

    /// A line counts as unified only with a clock, a level or tags among its decorations.
    var isWellFormed: Bool {
        uptime != nil || wallClock != nil || epochTime != nil || tags != nil || hasLevel
    }

    enum TimeUnit { case seconds, milliseconds, nanoseconds }
    enum Level { case trace, debug, info, warning, error }

    /// Epoch milliseconds below this are taken as uptime (about 3 years of JVM uptime).
    static let epochMillisThreshold = 100_000_000_000.0
    static let epochNanosThreshold = 100_000_000_000_000_000.0

    /// Locates the decorations of `line`; nil when it does not start like a unified line.
    static func locate(in line: UnsafeBufferPointer<UInt8>) -> UnifiedDecorators? {
        var result = UnifiedDecorators()
        var index = 0
        var count = 0
        while index < line.count, line[index] == UInt8(ascii: "[") {
            var close = index + 1
            while close < line.count, line[close] != UInt8(ascii: "]") { close += 1 }
            guard close < line.count, close - index <= 64 else { break }
            let content = (index + 1)..<close
            guard result.classify(content, in: line) else { break }
            count += 1
            index = close + 1
        }
        guard count > 0 else { return nil }
        while index < line.count, line[index] == UInt8(ascii: " ") { index += 1 }
        result.messageStart = index
        return result
    }

    /// Records one decoration; false when the bracket does not look like a decoration at all.
    private mutating func classify(_ range: Range<Int>, in line: UnsafeBufferPointer<UInt8>) -> Bool {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, line[lower] == UInt8(ascii: " ") { lower += 1 }
        while upper > lower, line[upper - 1] == UInt8(ascii: " ") { upper -= 1 }
        guard lower < upper else { return false }
        let first = line[lower]
        let last = line[upper - 1]
        let isDigit = { (byte: UInt8) in byte >= 48 && byte <= 57 }
        if isDigit(first) {
            if upper - lower >= 19, line[lower + 4] == UInt8(ascii: "-"), line[lower + 10] == UInt8(ascii: "T") {
                wallClock = lower..<upper
                return true
            }
            if last == UInt8(ascii: "s") {
                let beforeUnit = upper - 2 >= lower ? line[upper - 2] : 0
                if beforeUnit == UInt8(ascii: "m") {
                    assignClock(lower..<(upper - 2), unit: .milliseconds, in: line)
                } else if beforeUnit == UInt8(ascii: "n") {
                    assignClock(lower..<(upper - 2), unit: .nanoseconds, in: line)
                } else {
                    uptime = lower..<(upper - 1)
                    uptimeUnit = .seconds
                }
                return true
            }
            // pid or tid: digits only.
            for offset in lower..<upper where !isDigit(line[offset]) { return false }
            return true
        }
        let isLower = { (byte: UInt8) in byte >= 97 && byte <= 122 }
        guard isLower(first) || (first >= 65 && first <= 90) else { return false }
        switch (first, upper - lower) {
        case (UInt8(ascii: "i"), 4) where line[lower + 1] == UInt8(ascii: "n") && line[lower + 2] == UInt8(ascii: "f"):
            level = .info
            hasLevel = true
        case (UInt8(ascii: "d"), 5) where line[lower + 1] == UInt8(ascii: "e") && line[lower + 2] == UInt8(ascii: "b"):
            level = .debug
            hasLevel = true
        case (UInt8(ascii: "t"), 5) where line[lower + 1] == UInt8(ascii: "r") && line[lower + 2] == UInt8(ascii: "a"):
            level = .trace
            hasLevel = true
        case (UInt8(ascii: "w"), 7) where line[lower + 1] == UInt8(ascii: "a") && line[lower + 2] == UInt8(ascii: "r"):
            level = .warning
            hasLevel = true
        case (UInt8(ascii: "e"), 5) where line[lower + 1] == UInt8(ascii: "r") && line[lower + 2] == UInt8(ascii: "r"):
            level = .error
            hasLevel = true
        default:
            // Tags (`gc,heap`) or a host name; tags are lower-case words joined by commas.
            for offset in lower..<upper {
                let byte = line[offset]
                let isHostByte = isLower(byte) || isDigit(byte) || (byte >= 65 && byte <= 90)
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: ",")
                if !isHostByte { return false }
            }
            // The JVM prints tags last, after any host name: the last candidate wins.
            if isLower(first) {
                var looksLikeTags = true
                for offset in lower..<upper {
                    let byte = line[offset]
                    if !(isLower(byte) || isDigit(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "_")) {
                        looksLikeTags = false
                        break
                    }
                }
                if looksLikeTags {
                    tags = lower..<upper
                }
            }
        }
        return true
    }

    /// `123ms`/`123ns` is uptime for small values and time since the epoch for large ones.
    private mutating func assignClock(_ range: Range<Int>, unit: TimeUnit, in line: UnsafeBufferPointer<UInt8>) {
        var cursor = ByteCursor(line, position: range.lowerBound)
        let value = cursor.parseDecimal() ?? 0
        let threshold = unit == .milliseconds ? Self.epochMillisThreshold : Self.epochNanosThreshold
        if value >= threshold {
            epochTime = range
            epochUnit = unit
        } else if uptime == nil || uptimeUnit != .seconds {
            // Prefer the most precise uptime when several are printed.
            if uptime == nil || unit == .nanoseconds {
                uptime = range
                uptimeUnit = unit
            }
        }
    }

    /// Uptime in seconds, when decorated.
    func uptimeSeconds(in line: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let uptime else { return nil }
        var cursor = ByteCursor(line, position: uptime.lowerBound)
        guard let value = cursor.parseDecimal() else { return nil }
        switch uptimeUnit {
        case .seconds: return value
        case .milliseconds: return value / 1000
        case .nanoseconds: return value / 1_000_000_000
        }
    }

    /// Wall-clock time in seconds since the epoch, when decorated.
    func wallTimeSeconds(in line: UnsafeBufferPointer<UInt8>) -> Double? {
        if let wallClock {
            return WallClockParser.epochSeconds(in: line, range: wallClock)
        }
        if let epochTime {
            var cursor = ByteCursor(line, position: epochTime.lowerBound)
            guard let value = cursor.parseDecimal() else { return nil }
            return epochUnit == .milliseconds ? value / 1000 : value / 1_000_000_000
        }
        return nil
    }

    /// Whether the tags decoration contains `gc` as one of its tags.
    func hasGCTag(in line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let tags else { return false }
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
